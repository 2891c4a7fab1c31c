package io.incidentcomms.incident;

import com.fasterxml.jackson.annotation.JsonValue;

public enum UpdateStatus {
    DRAFT, PUBLISHED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
