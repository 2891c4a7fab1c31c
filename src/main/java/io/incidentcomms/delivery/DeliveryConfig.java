package io.incidentcomms.delivery;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.delivery")
public interface DeliveryConfig {

    Planner planner();

    Email email();

    interface Email {
        /** The From address; without it, {@code quarkus.mailer.from} ({@code QUARKUS_MAILER_FROM}). */
        Optional<String> from();

        Optional<String> replyTo();
    }

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
