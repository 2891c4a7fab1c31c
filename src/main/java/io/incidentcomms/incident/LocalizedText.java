package io.incidentcomms.incident;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ops text per locale, as the API takes it: a JSON object of BCP 47 tag → text, or a plain
 * string, which means the update's default locale. {@link #resolve} turns it into the map that is
 * stored, once the default locale is known.
 */
@Schema(description = "A text in the update's default language, or an object of language tag (BCP 47) to text",
        oneOf = { String.class, LocalizedText.PerLocale.class }, type = SchemaType.DEFAULT)
public record LocalizedText(@Schema(hidden = true) Map<String, String> texts) {

    /** How the API documents the object form: language tag → text. */
    @Schema(type = SchemaType.OBJECT, additionalProperties = String.class, example = "{\"en\": \"Checkout fails\", \"de\": \"Die Kasse streikt\"}")
    interface PerLocale {
    }

    /** The key a plain string is kept under until {@link #resolve} names its locale. */
    static final String DEFAULT_LOCALE = "";

    public LocalizedText {
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    }

    public static LocalizedText of(String text) {
        return new LocalizedText(text == null ? Map.of() : Map.of(DEFAULT_LOCALE, text));
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static LocalizedText fromJson(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (json.isTextual()) {
            return of(storable(json.asText()));
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("must be a text or an object of language tag to text");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("the text for " + e.getKey() + " must be a string");
            }
            texts.put(storable(e.getKey()), storable(e.getValue().asText()));
        });
        return new LocalizedText(texts);
    }

    /** The database keeps no NUL character; Jackson's checks do not see texts read as a tree. */
    private static String storable(String text) {
        if (io.incidentcomms.platform.problem.NulCharacters.contains(text)) {
            throw new IllegalArgumentException("must not contain a NUL character");
        }
        return text;
    }

    @JsonValue
    public Map<String, String> texts() {
        return texts;
    }

    /** The texts by locale, a plain string filed under {@code defaultLocale}; blank texts are dropped. */
    public Map<String, String> resolve(String defaultLocale) {
        Map<String, String> resolved = new LinkedHashMap<>();
        texts.forEach((locale, text) -> {
            if (text != null && !text.isBlank()) {
                resolved.put(locale.equals(DEFAULT_LOCALE) ? defaultLocale : locale, text.strip());
            }
        });
        return resolved;
    }

    /** The locales named explicitly (a plain string names none). */
    public java.util.Set<String> namedLocales() {
        java.util.Set<String> locales = new java.util.LinkedHashSet<>(texts.keySet());
        locales.remove(DEFAULT_LOCALE);
        return locales;
    }

    /**
     * The text for a locale from a stored map: the exact tag, else the same language, else none.
     * A message is only ever built from texts of one language (see the message renderer).
     */
    public static String in(Map<String, String> texts, String locale) {
        if (texts == null || texts.isEmpty() || locale == null) {
            return null;
        }
        String exact = texts.get(locale);
        if (exact != null) {
            return exact;
        }
        String language = Locale.forLanguageTag(locale).getLanguage();
        String languageOnly = texts.get(language);
        if (languageOnly != null) {
            return languageOnly;
        }
        for (Map.Entry<String, String> e : texts.entrySet()) {
            if (Locale.forLanguageTag(e.getKey()).getLanguage().equals(language)) {
                return e.getValue();
            }
        }
        return null;
    }
}
