package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmsTextTest {

    @Test
    void oneHundredSixtyGsmCharactersAreOneSegmentAndOneMoreMakesTwo() {
        assertEquals(new SmsText.Length(SmsText.Encoding.GSM_7, 160, 1), SmsText.measure("a".repeat(160)));
        assertEquals(new SmsText.Length(SmsText.Encoding.GSM_7, 161, 2), SmsText.measure("a".repeat(161)));
        assertEquals(2, SmsText.segments("a".repeat(306)));
        assertEquals(3, SmsText.segments("a".repeat(307)));
    }

    @Test
    void extensionCharactersCountTwice() {
        assertEquals(new SmsText.Length(SmsText.Encoding.GSM_7, 160, 1), SmsText.measure("€".repeat(80)));
        assertEquals(2, SmsText.segments("€".repeat(80) + "a"));
    }

    @Test
    void oneEmojiTurnsTheWholeMessageIntoUcs2() {
        SmsText.Length length = SmsText.measure("Checkout is back 🎉");
        assertEquals(SmsText.Encoding.UCS_2, length.encoding());
        assertEquals(1, length.segments());
        assertEquals(2, SmsText.segments("a".repeat(69) + "🎉"));
        assertEquals(1, SmsText.segments("a".repeat(68) + "🎉"));
    }

    @Test
    void curlyQuotesLongDashesEllipsesAndNonBreakingSpacesAreReplaced() {
        String normalized = SmsText.normalize("“We’re on it” – almost done… at 1:30\u202FPM\u00A0today");
        assertEquals("\"We're on it\" - almost done... at 1:30 PM today", normalized);
        assertEquals(SmsText.Encoding.GSM_7, SmsText.measure(normalized).encoding());
    }
}
