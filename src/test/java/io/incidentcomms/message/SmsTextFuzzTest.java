package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The SMS normaliser and segment counter for any text: normalising twice changes nothing more,
 * and the count matches how a phone network splits a message — 153 septets per part of a long
 * GSM-7 message, where an escaped character (€, [, ...) is never cut in two, and 67 UTF-16 units
 * per part of a long UCS-2 one, where a character outside the BMP (an emoji) is never cut in two.
 * Seeds in {@code SmsTextFuzzTestInputs/}; fuzz with {@code JAZZER_FUZZ=1} (see the README).
 */
class SmsTextFuzzTest {

    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    @FuzzTest(maxDuration = "60s")
    void normalisingIsStableAndSegmentsAreCountedAsNetworksSplit(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        String normalized = SmsText.normalize(text);
        assertEquals(normalized, SmsText.normalize(normalized), "normalising twice changes nothing more");
        SmsText.Length length = SmsText.measure(normalized);
        assertEquals(split(normalized, length.encoding()), length.segments(),
                () -> "segments of " + length.encoding() + " text of " + normalized.length() + " chars");
        assertTrue(length.segments() >= 1);
    }

    /** Parts as a network cuts them, by packing characters whole into each part. */
    static int split(String text, SmsText.Encoding encoding) {
        boolean gsm = encoding == SmsText.Encoding.GSM_7;
        int single = gsm ? 160 : 70;
        int part = gsm ? 153 : 67;
        int total = 0;
        for (int i = 0; i < text.length(); i++) {
            total += gsm && GSM_EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
        }
        if (total <= single) {
            return 1;
        }
        int parts = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size = gsm ? (GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1)
                    : (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1);
            if (used + size > part) {
                parts++;
                used = 0;
            }
            used += size;
            if (size == 2 && !gsm) {
                i++;
            }
        }
        return parts;
    }
}
