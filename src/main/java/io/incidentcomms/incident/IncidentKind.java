package io.incidentcomms.incident;

import com.fasterxml.jackson.annotation.JsonValue;

public enum IncidentKind {
    OUTAGE, DEGRADATION, DELAY, CLOSURE, MAINTENANCE;

    /** Maintenance is planned work, with its own life cycle. */
    public boolean planned() {
        return this == MAINTENANCE;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
