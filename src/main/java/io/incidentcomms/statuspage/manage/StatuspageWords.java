package io.incidentcomms.statuspage.manage;

import java.util.Collection;
import java.util.Locale;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.platform.problem.ProblemException;

/**
 * Statuspage's words for an incident's life and impact, and ours. Realtime incidents go
 * investigating → identified → monitoring → resolved as ours do; scheduled ones go scheduled →
 * in progress → verifying → completed, where we know no "verifying" (it stays in progress).
 */
final class StatuspageWords {

    private StatuspageWords() {
    }

    static boolean isScheduledStatus(String status) {
        return status != null && switch (status) {
            case "scheduled", "in_progress", "verifying", "completed" -> true;
            default -> false;
        };
    }

    /** Our state for a Statuspage status; null for none given. */
    static IncidentState state(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "investigating" -> IncidentState.INVESTIGATING;
            case "identified" -> IncidentState.IDENTIFIED;
            case "monitoring" -> IncidentState.MONITORING;
            case "resolved" -> IncidentState.RESOLVED;
            case "scheduled" -> IncidentState.SCHEDULED;
            case "in_progress", "verifying" -> IncidentState.IN_PROGRESS;
            case "completed" -> IncidentState.COMPLETED;
            default -> throw ProblemException.invalidField("incident.status", "must be one of investigating, identified,"
                    + " monitoring, resolved (realtime) or scheduled, in_progress, verifying, completed (scheduled)");
        };
    }

    /** Statuspage's status for our state of an incident of this kind. */
    static String status(IncidentKind kind, IncidentState state) {
        if (kind.planned()) {
            return switch (state) {
                case SCHEDULED -> "scheduled";
                case IN_PROGRESS, INVESTIGATING, IDENTIFIED -> "in_progress";
                case MONITORING -> "verifying";
                case COMPLETED, CANCELLED, RESOLVED -> "completed";
            };
        }
        return switch (state) {
            case INVESTIGATING, SCHEDULED -> "investigating";
            case IDENTIFIED, IN_PROGRESS -> "identified";
            case MONITORING -> "monitoring";
            case RESOLVED, COMPLETED, CANCELLED -> "resolved";
        };
    }

    /**
     * The severity of an impact: Statuspage's {@code impact_override} if given, else the impact it
     * would compute from the components' statuses (major outage critical, partial outage major,
     * anything less minor). We have no "none": an incident customers hear of is at least minor.
     */
    static Severity severity(String impactOverride, Collection<ComponentStatus> componentStatuses) {
        if (impactOverride != null && !impactOverride.isBlank()) {
            return switch (impactOverride.trim().toLowerCase(Locale.ROOT)) {
                case "critical" -> Severity.CRITICAL;
                case "major" -> Severity.MAJOR;
                case "minor", "none", "maintenance" -> Severity.MINOR;
                default -> throw ProblemException.invalidField("incident.impact_override",
                        "must be one of none, maintenance, minor, major, critical");
            };
        }
        ComponentStatus worst = componentStatuses.stream().reduce(ComponentStatus.OPERATIONAL, ComponentStatus::worse);
        return switch (worst) {
            case MAJOR_OUTAGE -> Severity.CRITICAL;
            case PARTIAL_OUTAGE -> Severity.MAJOR;
            default -> Severity.MINOR;
        };
    }

    /** Statuspage's impact of our severity; planned work is "maintenance". */
    static String impact(IncidentKind kind, Severity severity) {
        if (kind.planned()) {
            return "maintenance";
        }
        return switch (severity) {
            case CRITICAL -> "critical";
            case MAJOR -> "major";
            case MINOR -> "minor";
        };
    }

    static ComponentStatus componentStatus(String componentId, String status) {
        try {
            ComponentStatus parsed = ComponentStatus.fromWire(status);
            if (parsed == null) {
                throw new IllegalArgumentException();
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("incident.components." + componentId, "must be one of operational,"
                    + " under_maintenance, degraded_performance, partial_outage, major_outage");
        }
    }
}
