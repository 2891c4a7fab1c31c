package io.incidentcomms.feedback;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SMS reply says, read from its text alone: a carrier keyword (STOP, START, HELP and
 * their synonyms), an option code with or without the incident it names ({@code 1} or
 * {@code 1 INC-42}), or free text. Untrusted input: this is fuzzed ({@code SmsRepliesFuzzTest}).
 */
public sealed interface SmsReplyText {

    /** The reply as it came, without surrounding white space. */
    String text();

    enum Keyword {
        STOP, START, HELP
    }

    record CarrierKeyword(Keyword keyword, String text) implements SmsReplyText {
    }

    record OptionCode(String code, String incident, String text) implements SmsReplyText {
    }

    record FreeText(String text) implements SmsReplyText {
    }

    Set<String> STOP_WORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    Set<String> START_WORDS = Set.of("START", "YES", "UNSTOP");
    Set<String> HELP_WORDS = Set.of("HELP", "INFO");

    /** A code, optionally followed by the incident's key. */
    Pattern CODE = Pattern.compile("([A-Za-z0-9]{1,12})(?:\\s+([A-Za-z0-9][A-Za-z0-9_-]{0,31}))?");

    static SmsReplyText read(String body) {
        String text = body == null ? "" : body.strip();
        String upper = text.toUpperCase(Locale.ROOT);
        if (STOP_WORDS.contains(upper)) {
            return new CarrierKeyword(Keyword.STOP, text);
        }
        if (START_WORDS.contains(upper)) {
            return new CarrierKeyword(Keyword.START, text);
        }
        if (HELP_WORDS.contains(upper)) {
            return new CarrierKeyword(Keyword.HELP, text);
        }
        Matcher code = CODE.matcher(text);
        if (code.matches()) {
            return new OptionCode(code.group(1), code.group(2), text);
        }
        return new FreeText(text);
    }

    /** Whether a text is an option code as links and replies carry them. */
    static boolean isCode(String text) {
        return text != null && CODE.matcher(text).matches();
    }
}
