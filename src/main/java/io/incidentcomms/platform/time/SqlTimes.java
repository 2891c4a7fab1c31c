package io.incidentcomms.platform.time;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/** Reads timestamptz and time columns of a native query, whichever Java type the driver chose. */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return Instant.parse(value.toString());
    }

    public static LocalTime localTime(Object value) {
        return value == null ? null : value instanceof java.sql.Time time ? time.toLocalTime() : (LocalTime) value;
    }
}
