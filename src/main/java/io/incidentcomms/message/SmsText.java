package io.incidentcomms.message;

import java.text.Normalizer;
import java.util.Map;

/**
 * SMS length rules. GSM-7: 160 septets in one segment, 153 per segment when split; characters of
 * the extension table ({@code ^{}\[~]|€}) take two. One character outside GSM-7 turns the whole
 * message into UCS-2: 70 code units in one segment, 67 per segment when split.
 */
public final class SmsText {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    /** Look-alikes that would force UCS-2, and their GSM-7 stand-ins. */
    private static final Map<Character, String> LOOK_ALIKES = Map.ofEntries(
            Map.entry('\u2018', "'"), Map.entry('\u2019', "'"), Map.entry('\u201A', "'"), Map.entry('\u201B', "'"),
            Map.entry('\u2032', "'"), Map.entry('\u00B4', "'"), Map.entry('`', "'"),
            Map.entry('\u201C', "\""), Map.entry('\u201D', "\""), Map.entry('\u201E', "\""), Map.entry('\u201F', "\""),
            Map.entry('\u00AB', "\""), Map.entry('\u00BB', "\""), Map.entry('\u2033', "\""),
            Map.entry('\u2010', "-"), Map.entry('\u2011', "-"), Map.entry('\u2012', "-"), Map.entry('\u2013', "-"),
            Map.entry('\u2014', "-"), Map.entry('\u2015', "-"), Map.entry('\u2212', "-"),
            Map.entry('\u2026', "..."),
            Map.entry('\u00A0', " "), Map.entry('\u202F', " "), Map.entry('\u2007', " "), Map.entry('\u2009', " "),
            Map.entry('\u200A', " "), Map.entry('\u2002', " "), Map.entry('\u2003', " "),
            Map.entry('\u200B', ""), Map.entry('\uFEFF', ""), Map.entry('\u2022', "-"), Map.entry('\t', " "));

    private SmsText() {
    }

    public enum Encoding {
        GSM_7, UCS_2
    }

    public record Length(Encoding encoding, int units, int segments) {
    }

    /**
     * Replaces look-alike characters so the text can stay GSM-7, and writes letters with an accent
     * GSM-7 lacks (ê, ô, ç, ...) without it, as phones do with French or Portuguese SMS: one such
     * letter would otherwise turn the whole message into UCS-2, at less than half the length.
     * Characters with no GSM-7 form (emoji, other scripts) stay.
     */
    public static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = LOOK_ALIKES.get(c);
            if (replacement == null && GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) {
                replacement = withoutAccent(c);
            }
            out.append(replacement != null ? replacement : String.valueOf(c));
        }
        return out.toString();
    }

    private static String withoutAccent(char c) {
        if (c == '\u0153') {
            return "oe";
        }
        if (c == '\u0152') {
            return "OE";
        }
        String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
        if (decomposed.length() < 2 || GSM_BASIC.indexOf(decomposed.charAt(0)) < 0) {
            return null;
        }
        for (int i = 1; i < decomposed.length(); i++) {
            if (Character.getType(decomposed.charAt(i)) != Character.NON_SPACING_MARK) {
                return null;
            }
        }
        return String.valueOf(decomposed.charAt(0));
    }

    /**
     * The encoding, length and parts of a message. A long message is cut into parts of 153
     * septets (GSM-7) or 67 UTF-16 units (UCS-2), and a network never cuts a character in two: an
     * escaped GSM-7 character (two septets) or a character outside the BMP (two units) that does
     * not fit a part's end starts the next part, so a message can need one part more than its
     * length divided by the part size.
     */
    public static Length measure(String text) {
        boolean gsm = true;
        int septets = 0;
        for (int i = 0; i < text.length() && gsm; i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                gsm = false;
            }
        }
        if (gsm) {
            return new Length(Encoding.GSM_7, septets, septets <= 160 ? 1 : parts(text, 153, true));
        }
        int units = text.length();
        return new Length(Encoding.UCS_2, units, units <= 70 ? 1 : parts(text, 67, false));
    }

    /** Parts of a long message, each character whole in one part. */
    private static int parts(String text, int partSize, boolean gsm) {
        int parts = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size;
            if (gsm) {
                size = GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
            } else {
                size = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        ? 2 : 1;
            }
            if (used + size > partSize) {
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

    public static int segments(String text) {
        return measure(text).segments();
    }
}
