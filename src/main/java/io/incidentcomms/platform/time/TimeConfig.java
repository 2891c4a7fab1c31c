package io.incidentcomms.platform.time;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.time")
public interface TimeConfig {

    /**
     * How far the service's clock runs ahead of the system clock. Zero in production; scenario
     * runs and tests of separate processes set it to make deadlines come due without waiting.
     */
    @WithDefault("0s")
    Duration offset();
}
