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

    /**
     * Parts as a network cuts them: the text's characters (code points), each of its size — a
     * septet or two in GSM-7, one or two UTF-16 units in UCS-2 — put whole into parts of 153
     * septets or 67 units, a new part when the next one does not fit.
     */
    static int split(String text, SmsText.Encoding encoding) {
        boolean gsm = encoding == SmsText.Encoding.GSM_7;
        int[] sizes = text.codePoints()
                .map(c -> gsm ? (GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1) : Character.charCount(c)).toArray();
        int total = java.util.Arrays.stream(sizes).sum();
        if (total <= (gsm ? 160 : 70)) {
            return 1;
        }
        int room = gsm ? 153 : 67;
        java.util.List<Integer> parts = new java.util.ArrayList<>(java.util.List.of(0));
        for (int size : sizes) {
            if (parts.get(parts.size() - 1) + size > room) {
                parts.add(0);
            }
            parts.set(parts.size() - 1, parts.get(parts.size() - 1) + size);
        }
        return parts.size();
    }
}
