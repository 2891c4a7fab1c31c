package io.incidentcomms.incident;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One choice offered to customers; {@code code} is what they reply by SMS or pick by link, and
 * {@code label} and {@code detail} are per locale. {@code stillAffected} marks the choice that
 * means "this still affects me": the incident's summary counts who chose it. Options belong to
 * the incident until an update withdraws them.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record MessageOption(String code, Map<String, String> label, Map<String, String> detail, boolean stillAffected) {

    public MessageOption {
        label = label == null ? Map.of() : Map.copyOf(label);
        detail = detail == null || detail.isEmpty() ? null : Map.copyOf(detail);
    }

    /** The label in a locale (exact tag, else its language), or null. */
    public String labelIn(String locale) {
        return LocalizedText.in(label, locale);
    }

    public String detailIn(String locale) {
        return LocalizedText.in(detail, locale);
    }
}
