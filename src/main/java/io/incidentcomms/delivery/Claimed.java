package io.incidentcomms.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.util.UUID;

import io.incidentcomms.audience.Channel;

/**
 * One claimed notification and whom it goes to. {@code suppressed} says why it must not go any
 * more (opted out, bounced, erased or muted since it was planned); {@code toldBefore}, for an SMS,
 * whether the number was sent an earlier message of the incident (always false for an email);
 * {@code goodwillCode} is the recipient's own code from the incident's pool, if any.
 */
record Claimed(long id, long updateId, long incidentId, long contactPointId, long subscriberId, UUID attemptId,
        int attempts, Channel channel, String address, String locale, String timeZone, boolean toldBefore,
        String suppressed, LocalTime quietStart, LocalTime quietEnd, String goodwillCode) {

    /** A row of {@link NotificationQueue#SELECT_CLAIMED}, read by column name. */
    static Claimed of(ResultSet row) throws SQLException {
        String attemptId = row.getString("attempt_id");
        return new Claimed(row.getLong("id"), row.getLong("update_id"), row.getLong("incident_id"),
                row.getLong("contact_point_id"), row.getLong("subscriber_id"),
                attemptId == null ? null : UUID.fromString(attemptId), row.getInt("attempts"),
                Channel.valueOf(row.getString("channel")), row.getString("address"), row.getString("locale"),
                row.getString("time_zone"), row.getBoolean("told_before"), row.getString("suppressed"),
                row.getObject("quiet_start", LocalTime.class), row.getObject("quiet_end", LocalTime.class),
                row.getString("goodwill_code"));
    }
}
