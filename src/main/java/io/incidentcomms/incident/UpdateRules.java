package io.incidentcomms.incident;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.platform.problem.ProblemException;

/**
 * What an update may do, checked before it is kept: the state changes the incident's life cycle
 * allows, goodwill only at the end, rescheduling only before the start, options that keep their
 * codes' meaning and that speak the update's language.
 */
final class UpdateRules {

    private UpdateRules() {
    }

    /** A goodwill gesture ends an incident: it rides on a resolution, a completion or a follow-up. */
    static void requireGoodwillAllowed(IncidentUpdate update) {
        if (update.goodwill != null && update.messageKind != MessageKind.RESOLVED
                && update.messageKind != MessageKind.MAINTENANCE_COMPLETED && update.messageKind != MessageKind.FOLLOW_UP) {
            throw ProblemException.invalidField("goodwill", "goes with the update that resolves or completes the incident");
        }
    }

    /** Planned work not started yet moves to a new start and/or end. */
    static void reschedule(Incident incident, Instant startsAt, Instant endsAt, Instant now) {
        if (incident.state != IncidentState.SCHEDULED) {
            throw ProblemException.invalidField(startsAt != null ? "startsAt" : "endsAt",
                    "only planned work that has not started can be rescheduled");
        }
        if (startsAt != null) {
            if (!startsAt.isAfter(now)) {
                throw ProblemException.invalidField("startsAt", "must be in the future");
            }
            incident.startedAt = startsAt;
        }
        if (endsAt != null) {
            incident.expectedEndAt = endsAt;
        }
        if (incident.expectedEndAt != null && incident.expectedEndAt.isBefore(incident.startedAt)) {
            throw ProblemException.invalidField("endsAt", "must not be before the start");
        }
    }

    /** An update in another language than the options it repeats must bring them in its language too. */
    static void requireLabelsIn(List<MessageOption> carried, String defaultLocale) {
        for (MessageOption option : carried) {
            if (option.labelIn(defaultLocale) == null) {
                throw ProblemException.invalidField("options", "the open option " + option.code() + " has no label in "
                        + defaultLocale + ", this update's default locale: give the options again with labels in "
                        + defaultLocale + ", or write the update in the options' language");
            }
        }
    }

    /**
     * A code keeps its meaning within an incident: a late reply "1" must not answer a different
     * question than the one its sender read.
     */
    static void requireCodesKeepTheirMeaning(Incident incident, List<MessageOption> options) {
        Map<String, Map<String, String>> earlier = new HashMap<>();
        for (IncidentUpdate previous : IncidentUpdate.timeline(incident)) {
            if (previous.status == UpdateStatus.PUBLISHED) {
                previous.options.forEach(o -> earlier.put(o.code(), o.label()));
            }
        }
        for (int i = 0; i < options.size(); i++) {
            MessageOption option = options.get(i);
            Map<String, String> before = earlier.get(option.code());
            if (before != null && before.entrySet().stream().anyMatch(e -> {
                String now = option.labelIn(e.getKey());
                return now != null && !now.equals(e.getValue());
            })) {
                throw ProblemException.invalidField("options[" + i + "].code", "code " + option.code()
                        + " meant something else earlier in this incident; give this option a new code");
            }
        }
    }

    static void requireTransition(Incident incident, IncidentState target) {
        boolean sameLifeCycle = incident.kind.planned() == (target == IncidentState.SCHEDULED
                || target == IncidentState.IN_PROGRESS || target == IncidentState.COMPLETED
                || target == IncidentState.CANCELLED);
        if (!sameLifeCycle || !incident.state.canMoveTo(target)) {
            throw ProblemException.conflict("invalid-transition", "Incident " + incident.key + " cannot move from "
                    + incident.state.wire() + " to " + target.wire());
        }
    }
}
