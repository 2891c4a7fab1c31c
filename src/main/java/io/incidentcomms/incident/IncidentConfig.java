package io.incidentcomms.incident;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.incidents")
public interface IncidentConfig {

    /** Prefix of human incident keys: {@code INC-2026-0042}. */
    @WithDefault("INC")
    String keyPrefix();

    /** Locale of the explain text when the request names none. */
    @WithDefault("en")
    String defaultLocale();

    /** Promise made when an update gives no next-update time: the cadence's interval per severity. */
    NextUpdate nextUpdate();

    /**
     * When reaching the whole audience at the senders' rates takes longer than the interval, the
     * promise is the delivery estimate plus this margin (then rounded up to 5 minutes).
     */
    @WithDefault("5m")
    Duration promiseMargin();

    /**
     * Before planned work starts, customers hear of it again this long before the start (the
     * declaration is the first notice); a scheduled maintenance promises the next of these.
     */
    @WithDefault("72h,24h,1h")
    java.util.List<Duration> maintenanceNotices();

    interface NextUpdate {
        @WithDefault("30m")
        Duration critical();

        @WithDefault("60m")
        Duration major();

        @WithDefault("4h")
        Duration minor();

        default Duration forSeverity(Severity severity) {
            return switch (severity) {
                case CRITICAL -> critical();
                case MAJOR -> major();
                case MINOR -> minor();
            };
        }
    }
}
