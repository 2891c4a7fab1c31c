package io.incidentcomms.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any text a phone can send is read as exactly one of: a carrier keyword, an option code, or free
 * text, without failing. Seeds in {@code SmsRepliesFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=SmsRepliesFuzzTest} (see the README).
 */
class SmsRepliesFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyReplyIsAKeywordAnOptionCodeOrFreeText(byte[] input) {
        String body = new String(input, StandardCharsets.UTF_8);
        SmsReplyText reply = SmsReplyText.read(body);
        String stripped = body.strip();
        assertEquals(stripped, reply.text(), "the reply keeps its text");
        String upper = stripped.toUpperCase(Locale.ROOT);
        boolean keyword = SmsReplyText.STOP_WORDS.contains(upper) || SmsReplyText.START_WORDS.contains(upper)
                || SmsReplyText.HELP_WORDS.contains(upper);
        assertEquals(keyword, reply instanceof SmsReplyText.CarrierKeyword, "carrier keywords win over codes: " + stripped);
        if (reply instanceof SmsReplyText.OptionCode code) {
            assertTrue(code.code().matches("[A-Za-z0-9]{1,12}"), code.code());
            assertTrue(code.incident() == null || code.incident().matches("[A-Za-z0-9][A-Za-z0-9_-]{0,31}"), code.incident());
            assertTrue(SmsReplyText.isCode(code.code()));
        }
    }
}
