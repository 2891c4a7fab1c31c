package io.incidentcomms.delivery;

import java.time.LocalTime;
import java.util.UUID;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.persistence.Tuple;

/**
 * One claimed notification and whom it goes to. {@code suppressed} says why it must not go any
 * more (opted out, bounced, erased or muted since it was planned); {@code goodwillCode} is the
 * recipient's own code from the incident's pool, if any.
 */
record Claimed(long id, long updateId, long incidentId, long contactPointId, long subscriberId, UUID attemptId,
        int attempts, Channel channel, String address, String locale, String timeZone, boolean toldBefore,
        String suppressed, LocalTime quietStart, LocalTime quietEnd, String goodwillCode) {

    /** A row of {@link NotificationQueue#SELECT_CLAIMED}, read by column name. */
    static Claimed of(Tuple row) {
        String attemptId = row.get("attempt_id", String.class);
        return new Claimed(number(row, "id"), number(row, "update_id"), number(row, "incident_id"),
                number(row, "contact_point_id"), number(row, "subscriber_id"),
                attemptId == null ? null : UUID.fromString(attemptId), (int) number(row, "attempts"),
                Channel.valueOf(row.get("channel", String.class)), row.get("address", String.class),
                row.get("locale", String.class), row.get("time_zone", String.class), row.get("told_before", Boolean.class),
                row.get("suppressed", String.class), SqlTimes.localTime(row.get("quiet_start")),
                SqlTimes.localTime(row.get("quiet_end")), row.get("goodwill_code", String.class));
    }

    static long number(Tuple row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
