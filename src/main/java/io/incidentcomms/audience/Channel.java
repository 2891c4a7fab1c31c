package io.incidentcomms.audience;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Channel {
    EMAIL, SMS;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
