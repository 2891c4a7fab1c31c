package io.incidentcomms.incident;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Unplanned work: investigating → identified → monitoring → resolved (moving forward may skip a
 * step; monitoring may fall back when a fix does not hold; resolved may only reopen to
 * investigating). Planned work: scheduled → in_progress → completed, or cancelled before it ends.
 */
public enum IncidentState {
    INVESTIGATING, IDENTIFIED, MONITORING, RESOLVED,
    SCHEDULED, IN_PROGRESS, COMPLETED, CANCELLED;

    private static final Map<IncidentState, Set<IncidentState>> NEXT = Map.of(
            INVESTIGATING, EnumSet.of(IDENTIFIED, MONITORING, RESOLVED),
            IDENTIFIED, EnumSet.of(INVESTIGATING, MONITORING, RESOLVED),
            MONITORING, EnumSet.of(INVESTIGATING, IDENTIFIED, RESOLVED),
            RESOLVED, EnumSet.of(INVESTIGATING),
            SCHEDULED, EnumSet.of(IN_PROGRESS, CANCELLED),
            IN_PROGRESS, EnumSet.of(COMPLETED, CANCELLED),
            COMPLETED, EnumSet.noneOf(IncidentState.class),
            CANCELLED, EnumSet.noneOf(IncidentState.class));

    public boolean canMoveTo(IncidentState target) {
        return NEXT.get(this).contains(target);
    }

    public boolean closed() {
        return this == RESOLVED || this == COMPLETED || this == CANCELLED;
    }

    public static IncidentState initial(IncidentKind kind) {
        return kind.planned() ? SCHEDULED : INVESTIGATING;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
