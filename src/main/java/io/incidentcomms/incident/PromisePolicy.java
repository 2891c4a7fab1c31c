package io.incidentcomms.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * When an update promises the next one. Ops may give the time; otherwise it follows the
 * severity's interval, rounded up to 5 minutes. Planned work not started promises its next
 * advance notice. Never a promise the senders cannot keep: when reaching everyone takes longer,
 * the promise moves to the delivery estimate plus a margin. A closed incident promises nothing.
 */
@ApplicationScoped
public class PromisePolicy {

    /** An advance notice this close to now is the message going out now. */
    public static final Duration NOTICE_MARGIN = Duration.ofMinutes(1);

    private final Clock clock;
    private final IncidentConfig config;

    PromisePolicy(Clock clock, IncidentConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * What an update promises once published, the incident in the state it puts it in; null for
     * an internal note or a closed incident. {@code estimate} is how long reaching its audience takes.
     */
    Instant promiseOf(Incident incident, IncidentUpdate update, Duration estimate, Instant now) {
        IncidentState state = incident.state;
        if (!update.notify || state.closed()) {
            return null;
        }
        if (state == IncidentState.SCHEDULED) {
            return nextNotice(update.nextUpdateBy, incident, now);
        }
        return keepable(promise(update.nextUpdateBy, incident.severity, now), estimate, now);
    }

    /** The promise a draft would make if published now, the incident as it is. */
    Instant draftPromise(Incident incident, IncidentUpdate update, Duration estimate) {
        IncidentState after = update.stateTo == null ? incident.state : update.stateTo;
        Severity severity = update.severity == null ? incident.severity : update.severity;
        Instant now = clock.instant();
        return !update.notify || after.closed() ? null
                : after == IncidentState.SCHEDULED ? nextNotice(update.nextUpdateBy, incident, now)
                : keepable(promise(update.nextUpdateBy, severity, now), estimate, now);
    }

    /** Reaching everyone at the senders' rates takes no time for a closed incident or planned work not started. */
    static boolean needsNoEstimate(Incident incident) {
        return incident.state.closed() || incident.state == IncidentState.SCHEDULED;
    }

    private Instant keepable(Instant promise, Duration estimate, Instant now) {
        if (estimate.isZero() || now.plus(estimate).isBefore(promise)) {
            return promise;
        }
        return roundUpTo5Minutes(now.plus(estimate).plus(config.promiseMargin()));
    }

    /** Planned work not started promises its next advance notice (or its start), unless ops gave a time. */
    private Instant nextNotice(Instant given, Incident incident, Instant now) {
        if (given != null) {
            return given;
        }
        return config.maintenanceNotices().stream().map(before -> incident.startedAt.minus(before))
                .filter(at -> at.isAfter(now.plus(NOTICE_MARGIN))).min(Instant::compareTo)
                .orElse(incident.startedAt.isAfter(now) ? incident.startedAt : null);
    }

    /** The time ops gave, or now plus the severity's interval, rounded up to the next 5 minutes. */
    private Instant promise(Instant given, Severity severity, Instant now) {
        if (given != null) {
            return given;
        }
        return roundUpTo5Minutes(now.plus(config.nextUpdate().forSeverity(severity)));
    }

    private static Instant roundUpTo5Minutes(Instant due) {
        Instant floored = due.truncatedTo(ChronoUnit.MINUTES);
        long minute = floored.atZone(ZoneOffset.UTC).getMinute();
        Instant rounded = floored.minus(Duration.ofMinutes(minute % 5));
        return rounded.equals(due) ? due : rounded.plus(Duration.ofMinutes(5));
    }
}
