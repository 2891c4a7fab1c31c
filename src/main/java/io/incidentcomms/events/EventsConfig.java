package io.incidentcomms.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.events")
public interface EventsConfig {

    Relay relay();

    interface Relay {
        /** Off in the no-services run, where there is no broker: events then stay in the outbox. */
        @WithDefault("true")
        boolean enabled();

        /** How often the relay looks for unpublished events (a scheduler period such as 1s). */
        @WithDefault("1s")
        String interval();

        @WithDefault("100")
        int batchSize();

        /** The topic exchange events go to; the routing key is the event type. */
        @WithDefault("incident-events")
        String exchange();

        /** How long the broker may take to confirm a batch before it counts as failed. */
        @WithDefault("10s")
        Duration confirmTimeout();

        /** How long a relay owns a claimed batch before another replica may take it over. */
        @WithDefault("30s")
        Duration lease();
    }
}
