package io.incidentcomms.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.incidentcomms.message.MessageConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The language of a page a customer reads: theirs when we know who they are (a subscriber's
 * locale), else the one they picked ({@code ?lang=}), else their browser's (Accept-Language),
 * among the languages the service ships; English when nothing matches.
 */
@ApplicationScoped
public class PageLocales {

    /** A language a customer can pick, named in itself ("Deutsch"). */
    public record Language(String tag, String name, boolean selected) {
    }

    private final List<String> supported;

    PageLocales(MessageConfig config) {
        this.supported = List.copyOf(config.locales());
    }

    public List<String> supported() {
        return supported;
    }

    /** The first supported of: the known locale, the picked one, the browser's preferences. */
    public Locale choose(String known, String picked, List<Locale> acceptable) {
        for (String candidate : new String[] { known, picked }) {
            String match = match(candidate);
            if (match != null) {
                return Locale.forLanguageTag(match);
            }
        }
        if (acceptable != null) {
            for (Locale accepted : acceptable) {
                String match = match(accepted.toLanguageTag());
                if (match != null) {
                    return Locale.forLanguageTag(match);
                }
            }
        }
        return Locale.forLanguageTag(supported.get(0));
    }

    /** The supported locale for a tag (exact, else its language), or null. */
    public String match(String tag) {
        if (tag == null || tag.isBlank() || "*".equals(tag)) {
            return null;
        }
        if (supported.contains(tag)) {
            return tag;
        }
        String language = Locale.forLanguageTag(tag).getLanguage();
        return supported.contains(language) ? language : null;
    }

    /**
     * The languages a subscriber can pick: every supported one, and theirs when it is another
     * (de-CH, es), marked as chosen, so saving the form never changes it unasked.
     */
    public List<Language> choices(String subscriberLocale) {
        String match = match(subscriberLocale);
        if (subscriberLocale == null || subscriberLocale.equals(match)) {
            return languages(Locale.forLanguageTag(match == null ? supported.get(0) : match));
        }
        List<Language> languages = new ArrayList<>();
        Locale own = Locale.forLanguageTag(subscriberLocale);
        String name = own.getDisplayName(own);
        languages.add(new Language(subscriberLocale, name.substring(0, 1).toUpperCase(own) + name.substring(1), true));
        languages(Locale.forLanguageTag(supported.get(0))).forEach(l -> languages.add(new Language(l.tag(), l.name(), false)));
        return languages;
    }

    /** Every supported language, each named in itself, the current one marked. */
    public List<Language> languages(Locale current) {
        List<Language> languages = new ArrayList<>();
        for (String tag : supported) {
            Locale locale = Locale.forLanguageTag(tag);
            String name = locale.getDisplayLanguage(locale);
            languages.add(new Language(tag, name.substring(0, 1).toUpperCase(locale) + name.substring(1),
                    tag.equals(current.toLanguageTag()) || tag.equals(current.getLanguage())));
        }
        return languages;
    }
}
