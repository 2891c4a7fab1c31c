package io.incidentcomms.incident;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Severity {
    CRITICAL, MAJOR, MINOR;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
