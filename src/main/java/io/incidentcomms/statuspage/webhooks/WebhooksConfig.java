package io.incidentcomms.statuspage.webhooks;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Subscribers' own webhook endpoints ({@code comms.webhooks}). */
@ConfigMapping(prefix = "comms.webhooks")
public interface WebhooksConfig {

    /** Tests only: let endpoints on loopback through (the tests' stub). Never in production. */
    @WithDefault("false")
    boolean allowLoopback();

    /** Send deliveries from this replica. */
    @WithDefault("true")
    boolean relayEnabled();

    /** The first retry's wait; each next one waits twice as long, with jitter, up to an hour. */
    @WithDefault("30s")
    Duration retryBase();

    /** How long an update is tried before it is given up, and the endpoint disabled with a notice to its contact. */
    @WithDefault("24h")
    Duration giveUpAfter();

    /** How long one request may take. */
    @WithDefault("10s")
    Duration timeout();
}
