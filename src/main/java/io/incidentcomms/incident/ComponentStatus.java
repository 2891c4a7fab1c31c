package io.incidentcomms.incident;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a component (or any scope shown on the status page) is doing, with Statuspage's names. An
 * update may set it per component; otherwise it follows the open incidents touching the component.
 */
public enum ComponentStatus {
    OPERATIONAL, UNDER_MAINTENANCE, DEGRADED_PERFORMANCE, PARTIAL_OUTAGE, MAJOR_OUTAGE;

    /** The status an open incident of this severity gives the components it touches. */
    public static ComponentStatus of(Severity severity) {
        return switch (severity) {
            case CRITICAL -> MAJOR_OUTAGE;
            case MAJOR -> PARTIAL_OUTAGE;
            case MINOR -> DEGRADED_PERFORMANCE;
        };
    }

    /** The worse of two: major outage, partial outage, degraded, under maintenance, operational. */
    public ComponentStatus worse(ComponentStatus other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ComponentStatus fromWire(String value) {
        return value == null ? null : valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
