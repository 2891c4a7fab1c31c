package io.incidentcomms.incident;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which customer message an update becomes; the message templates are chosen by it. */
public enum MessageKind {
    DECLARED, UPDATE, HOLDING, RESOLVED, FOLLOW_UP,
    MAINTENANCE_NOTICE, MAINTENANCE_STARTED, MAINTENANCE_COMPLETED, MAINTENANCE_CANCELLED;

    static MessageKind forDeclaration(IncidentKind kind) {
        return kind.planned() ? MAINTENANCE_NOTICE : DECLARED;
    }

    static MessageKind forTransition(IncidentState target) {
        if (target == null) {
            return UPDATE;
        }
        return switch (target) {
            case RESOLVED -> RESOLVED;
            case IN_PROGRESS -> MAINTENANCE_STARTED;
            case COMPLETED -> MAINTENANCE_COMPLETED;
            case CANCELLED -> MAINTENANCE_CANCELLED;
            default -> UPDATE;
        };
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
