package io.incidentcomms.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.delivery")
public interface DeliveryConfig {

    Planner planner();

    interface Planner {
        @WithDefault("true")
        boolean enabled();

        /** A scheduler period such as 1s. */
        @WithDefault("1s")
        String interval();

        /** Updates planned per transaction. */
        @WithDefault("5")
        int batchSize();
    }
}
