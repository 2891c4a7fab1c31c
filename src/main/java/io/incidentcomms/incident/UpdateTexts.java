package io.incidentcomms.incident;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.incidentcomms.platform.problem.ProblemException;

/**
 * Reads the ops texts of a declaration or update into the update: every text per locale, a plain
 * string filed under the update's default locale. Each text that is given must exist in the
 * default locale, which must be a language the message templates are written in, so that a
 * recipient whose language is missing gets a whole message in the default one.
 */
final class UpdateTexts {

    private static final int MAX_TITLE = 200;
    private static final int MAX_LABEL = 120;
    private static final int MAX_DETAIL = 500;
    private static final int MAX_ACKNOWLEDGE = 1000;
    private static final int MAX_CONFIRM = 500;
    private static final int MAX_GOODWILL = 500;

    private final List<String> templateLocales;

    UpdateTexts(List<String> templateLocales) {
        this.templateLocales = templateLocales;
    }

    /** The default locale: as requested, else the configured one when explain has it, else explain's first. */
    String defaultLocale(String requested, Map<String, String> explain, String configured) {
        String locale;
        if (requested != null) {
            if (!MessageParts.validLocale(requested)) {
                throw ProblemException.invalidField("defaultLocale", "is not a BCP 47 language tag such as en or de-CH");
            }
            if (!explain.isEmpty() && !explain.containsKey(requested)) {
                throw ProblemException.invalidField("defaultLocale", "must be one of the explain locales " + explain.keySet());
            }
            locale = requested;
        } else if (explain.isEmpty() || explain.containsKey(configured)) {
            locale = configured;
        } else {
            locale = explain.keySet().iterator().next();
        }
        String language = Locale.forLanguageTag(locale).getLanguage();
        if (!templateLocales.contains(locale) && !templateLocales.contains(language)) {
            throw ProblemException.invalidField(requested != null ? "defaultLocale" : "explain",
                    "the default locale " + locale + " has no message templates; give the texts in one of "
                            + templateLocales + " too, and name it as defaultLocale");
        }
        return locale;
    }

    Map<String, String> explain(Map<String, String> explain) {
        Map<String, String> texts = explain == null ? Map.of() : explain;
        requireValidLocales("explain", texts.keySet());
        return new LinkedHashMap<>(texts);
    }

    Map<String, String> explainSms(Map<String, String> explainSms) {
        Map<String, String> texts = explainSms == null ? Map.of() : explainSms;
        requireValidLocales("explainSms", texts.keySet());
        return new LinkedHashMap<>(texts);
    }

    /** A required text (the title): given, and present in the default locale. */
    Map<String, String> required(String field, LocalizedText text, String defaultLocale, int max) {
        Map<String, String> texts = optional(field, text, defaultLocale, max);
        if (texts == null) {
            throw ProblemException.invalidField(field, "must not be blank");
        }
        return texts;
    }

    /** A title is one line: it stands in email subjects, where a line break would start a header. */
    Map<String, String> title(LocalizedText text, String defaultLocale) {
        Map<String, String> titles = required("title", text, defaultLocale, MAX_TITLE);
        titles.forEach((locale, title) -> {
            if (title.chars().anyMatch(Character::isISOControl)) {
                throw ProblemException.invalidField("title", "must be one line, without control characters");
            }
        });
        return titles;
    }

    Map<String, String> acknowledge(LocalizedText text, String defaultLocale) {
        return optional("acknowledge", text, defaultLocale, MAX_ACKNOWLEDGE);
    }

    Map<String, String> confirm(LocalizedText text, String defaultLocale) {
        return optional("confirm", text, defaultLocale, MAX_CONFIRM);
    }

    Map<String, String> goodwill(LocalizedText text, String defaultLocale) {
        return optional("goodwill", text, defaultLocale, MAX_GOODWILL);
    }

    /** Null when not given; otherwise its texts, which must include the default locale. */
    Map<String, String> optional(String field, LocalizedText text, String defaultLocale, int max) {
        if (text == null) {
            return null;
        }
        requireValidLocales(field, text.namedLocales());
        Map<String, String> texts = text.resolve(defaultLocale);
        if (texts.isEmpty()) {
            return null;
        }
        texts.forEach((locale, value) -> {
            if (value.length() > max) {
                throw ProblemException.invalidField(field + "[" + locale + "]", "must be at most " + max + " characters");
            }
        });
        if (!texts.containsKey(defaultLocale)) {
            throw ProblemException.invalidField(field, "needs a text in the default locale " + defaultLocale
                    + " (a recipient whose language is missing gets the whole message in it)");
        }
        return texts;
    }

    /** The options as given (codes upper-cased, unique), labels and details per locale. */
    List<MessageOption> options(List<MessageParts.OptionInput> inputs, String defaultLocale) {
        List<MessageOption> options = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            MessageParts.OptionInput input = inputs.get(i);
            String code = input.code().toUpperCase(Locale.ROOT);
            if (!codes.add(code)) {
                throw ProblemException.invalidField("options[" + i + "].code", "duplicates another option's code");
            }
            Map<String, String> label = required("options[" + i + "].label", input.label(), defaultLocale, MAX_LABEL);
            Map<String, String> detail = optional("options[" + i + "].detail", input.detail(), defaultLocale, MAX_DETAIL);
            options.add(new MessageOption(code, label, detail, Boolean.TRUE.equals(input.stillAffected())));
        }
        return options;
    }

    private static void requireValidLocales(String field, Iterable<String> locales) {
        for (String locale : locales) {
            if (!MessageParts.validLocale(locale)) {
                throw ProblemException.invalidField(field + "[" + locale + "]", "is not a BCP 47 language tag such as en or de-CH");
            }
        }
    }
}
