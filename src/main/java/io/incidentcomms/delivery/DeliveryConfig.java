package io.incidentcomms.delivery;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.delivery")
public interface DeliveryConfig {

    Planner planner();

    /**
     * Hand email and SMS to the in-memory capture sink instead of SMTP and Twilio (the
     * no-services run only; viewable at {@code /local/messages}).
     */
    @WithDefault("false")
    boolean capture();

    Email email();

    Dispatcher dispatcher();

    interface Dispatcher {
        @WithDefault("true")
        boolean enabled();

        /** A scheduler period such as 1s. */
        @WithDefault("1s")
        String interval();

        /** Notifications claimed at once. */
        @WithDefault("50")
        int batchSize();

        /** How long a claim holds before another worker may take the notification over. */
        @WithDefault("60s")
        java.time.Duration lease();

        /** Attempts before a transiently failing notification is given up as failed. */
        @WithDefault("5")
        int maxAttempts();

        /** How long Twilio gets to record an uncertain SMS before we look it up. */
        @WithDefault("30s")
        java.time.Duration reconcileAfter();

        /** The first retry waits about this long; each further one twice as long. */
        @WithDefault("30s")
        java.time.Duration retryBase();
    }

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
