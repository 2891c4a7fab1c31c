package io.incidentcomms.incident;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One choice offered to customers; {@code code} is what they reply by SMS or pick by link.
 * {@code stillAffected} marks the choice that means "this still affects me": the incident's
 * summary counts who chose it.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record MessageOption(String code, String label, String detail, boolean stillAffected) {

    public MessageOption(String code, String label, String detail) {
        this(code, label, detail, false);
    }
}
