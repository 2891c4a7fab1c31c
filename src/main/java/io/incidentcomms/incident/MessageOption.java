package io.incidentcomms.incident;

/** One choice offered to customers; {@code code} is what they reply by SMS or pick by link. */
public record MessageOption(String code, String label, String detail) {
}
