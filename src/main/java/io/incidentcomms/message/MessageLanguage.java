package io.incidentcomms.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageOption;

/**
 * The one language a message is written in. It is the recipient's when the template set has
 * that language and ops gave every text the message needs in it (explanation, option labels and
 * details, a goodwill offer); otherwise the whole message, template parts and ops text alike, is
 * in the update's default locale. A message never mixes languages: a title not written in the
 * language gives way to the incident's reference.
 *
 * @param template the template set's locale folder used ({@code de})
 * @param text the locale ops texts are looked up in ({@code de-CH} finds {@code de-CH}, else {@code de})
 * @param fallback the recipient asked for another language
 * @param missing what was missing in the recipient's language, when it fell back
 */
public record MessageLanguage(String template, String text, boolean fallback, List<String> missing) {

    /** The message language for a recipient's locale (null: the default locale). */
    static MessageLanguage choose(TemplateSet set, List<String> locales, MessageRenderer.Content content,
            String recipientLocale) {
        String wanted = recipientLocale == null ? content.defaultLocale() : recipientLocale;
        String template = templateLocale(set, locales, wanted);
        List<String> missing = template == null ? List.of("message templates in " + wanted)
                : missingTexts(content, wanted);
        if (missing.isEmpty()) {
            return new MessageLanguage(template, wanted, false, List.of());
        }
        String fallbackTemplate = templateLocale(set, locales, content.defaultLocale());
        boolean sameLanguage = language(wanted).equals(language(content.defaultLocale()));
        return new MessageLanguage(fallbackTemplate == null ? locales.get(0) : fallbackTemplate, content.defaultLocale(),
                !sameLanguage, missing);
    }

    /** The template folder for a locale: the exact tag, else its language; null when the set has neither. */
    static String templateLocale(TemplateSet set, List<String> locales, String requested) {
        if (requested == null) {
            return null;
        }
        if (locales.contains(requested) && set.has(requested + "/" + TemplateSet.LAYOUT_TEXT)) {
            return requested;
        }
        String language = language(requested);
        if (locales.contains(language) && set.has(language + "/" + TemplateSet.LAYOUT_TEXT)) {
            return language;
        }
        return null;
    }

    /**
     * The ops texts the message needs that have no text in {@code locale}. The title is not among
     * them: without one in the language, the message names the incident by its reference.
     */
    static List<String> missingTexts(MessageRenderer.Content content, String locale) {
        List<String> missing = new ArrayList<>();
        requireIn(content.explain(), locale, "explain", missing);
        requireIn(content.goodwill(), locale, "goodwill", missing);
        List<MessageOption> options = content.options() == null ? List.of() : content.options();
        for (MessageOption option : options) {
            requireIn(option.label(), locale, "option " + option.code() + " label", missing);
            requireIn(option.detail(), locale, "option " + option.code() + " detail", missing);
        }
        return missing;
    }

    private static void requireIn(Map<String, String> texts, String locale, String what, List<String> missing) {
        if (texts != null && !texts.isEmpty() && LocalizedText.in(texts, locale) == null) {
            missing.add(what);
        }
    }

    static String language(String tag) {
        return tag == null ? "" : Locale.forLanguageTag(tag).getLanguage();
    }
}
