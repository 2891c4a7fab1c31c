package io.incidentcomms.access;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an API key may do. Admin keys may do everything. */
public enum Role {
    OPS, INTEGRATION, ADMIN;

    public static final String OPS_NAME = "ops";
    public static final String INTEGRATION_NAME = "integration";
    public static final String ADMIN_NAME = "admin";

    public Set<String> grantedRoles() {
        return switch (this) {
            case OPS -> Set.of(OPS_NAME);
            case INTEGRATION -> Set.of(INTEGRATION_NAME);
            case ADMIN -> Set.of(ADMIN_NAME, OPS_NAME, INTEGRATION_NAME);
        };
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
