package io.incidentcomms.message;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Shapes a rendered HTML body for SMTP. The mail client behind Quarkus Mailer writes every line of
 * a message to the socket on its own, and any non-ASCII character makes it quoted-printable encode
 * the part, cut into lines of 76 characters: a 2 KB email took 50 socket writes, most of them for
 * the HTML. Here non-ASCII characters become numeric character references and lines are joined
 * up to {@link #MAX_LINE} characters, which a mail reader renders the same (a line break in HTML is
 * whitespace like a space, and so it is in CSS). A document with pre, textarea or script
 * elements, where that is not so, keeps its line breaks.
 */
final class MailHtml {

    /** Well within SMTP's 998 characters, beyond which the part would be encoded after all. */
    static final int MAX_LINE = 900;
    private static final Pattern LINE_BREAKS_MATTER = Pattern.compile("<(pre|textarea|script)\\b");

    private MailHtml() {
    }

    static String compact(String html) {
        if (LINE_BREAKS_MATTER.matcher(html.toLowerCase(Locale.ROOT)).find()) {
            return asciiOnly(html);
        }
        StringBuilder out = new StringBuilder(html.length());
        int lineStart = 0;
        for (String line : asciiOnly(html).split("\r?\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (out.length() > lineStart) {
                if (out.length() - lineStart + 1 + trimmed.length() > MAX_LINE) {
                    out.append('\n');
                    lineStart = out.length();
                } else {
                    out.append(' ');
                }
            }
            out.append(trimmed);
        }
        return out.append('\n').toString();
    }

    private static String asciiOnly(String html) {
        if (html.chars().allMatch(c -> c < 128)) {
            return html;
        }
        StringBuilder out = new StringBuilder(html.length() + 32);
        html.codePoints().forEach(c -> {
            if (c < 128) {
                out.append((char) c);
            } else {
                out.append("&#").append(c).append(';');
            }
        });
        return out.toString();
    }
}
