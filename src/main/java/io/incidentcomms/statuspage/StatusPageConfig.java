package io.incidentcomms.statuspage;

import java.time.Duration;
import java.time.ZoneId;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The public status page: its time zone for day bars and history, and how long a snapshot is reused. */
@ConfigMapping(prefix = "comms.status-page")
public interface StatusPageConfig {

    /** Days of the uptime bars and the time zone their days are counted in. */
    @WithDefault("UTC")
    ZoneId timeZone();

    @WithDefault("90")
    int uptimeDays();

    /**
     * How long the public state (components, incidents, uptime) is reused before it is read again;
     * a published update drops it at once on the replica that published. An outage brings
     * everyone to the page at the same moment: this, with ETags, is what lets it hold.
     */
    @WithDefault("5s")
    Duration cacheTtl();

    /** Closed incidents the feeds and {@code incidents.json} list. */
    @WithDefault("50")
    int recentIncidents();
}
