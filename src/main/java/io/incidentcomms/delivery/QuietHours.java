package io.incidentcomms.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;

import io.incidentcomms.incident.Severity;

/**
 * A recipient's quiet hours: a local time window (it may span midnight) in which non-critical
 * messages wait. The planner holds messages in SQL; this decides what a message promises.
 */
public final class QuietHours {

    private QuietHours() {
    }

    /**
     * The promise as one recipient must read it: a next update that would fall in their quiet
     * hours comes when those end, plus the margin that messages held until then need to go out
     * ("next update by 07:05 your time"); critical updates come at once, so their promise stands.
     */
    public static Instant promiseFor(Instant promise, Severity severity, ZoneId zone, LocalTime start, LocalTime end,
            Duration margin) {
        if (promise == null || severity == Severity.CRITICAL || start == null || end == null || start.equals(end)) {
            return promise;
        }
        LocalDateTime local = LocalDateTime.ofInstant(promise, zone);
        LocalTime time = local.toLocalTime();
        boolean quiet = start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
        if (!quiet) {
            return promise;
        }
        LocalDateTime ends = time.isBefore(end) ? local.toLocalDate().atTime(end) : local.toLocalDate().plusDays(1).atTime(end);
        return ends.atZone(zone).toInstant().plus(margin);
    }
}
