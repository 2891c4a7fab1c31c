package io.incidentcomms.audience;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Tier {
    STANDARD, PRIORITY;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
