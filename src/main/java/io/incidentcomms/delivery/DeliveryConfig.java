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

    Rate rate();

    /** When a message fails for good on one channel, send it by the recipient's other channel. */
    @WithDefault("true")
    boolean fallback();

    /**
     * At most this many SMS per recipient per incident in any hour (critical incidents exempt).
     * Beyond it the message goes by email instead, or, without email, waits and is merged into
     * the next update.
     */
    @WithDefault("2")
    int smsBudgetPerIncidentPerHour();

    /**
     * Per sender, enforced across replicas. SMS in segments per second (Twilio: about 1 for a long
     * code, 3 for toll-free, 100 for a short code); email in messages per second. Zero: no limit.
     */
    interface Rate {
        @WithDefault("1")
        double smsSegmentsPerSecond();

        @WithDefault("0")
        double emailsPerSecond();

        /** How long the whole sender holds after the provider throttled us (HTTP 429, Twilio 21611). */
        @WithDefault("30s")
        java.time.Duration throttlePause();
    }

    /** What to do with an email whose send ended without an answer: it may have gone, or not. */
    enum UncertainPolicy {
        /** Send it again: a duplicate is possible, a loss is not. */
        AT_LEAST_ONCE,
        /** Leave it uncertain (shown in the summary): a loss is possible, a duplicate is not. */
        AT_MOST_ONCE
    }

    interface Dispatcher {
        @WithDefault("true")
        boolean enabled();

        /** A scheduler period such as 1s. */
        @WithDefault("1s")
        String interval();

        /** Notifications claimed at once, per channel. */
        @WithDefault("100")
        int batchSize();

        /**
         * Messages in flight at once per channel in this process; Twilio's connection pool follows it, SMTP's is
         * {@code quarkus.mailer.max-pool-size} (keep that at least as large).
         */
        @WithDefault("8")
        int concurrency();

        /** How long a claim holds before another worker may take the notification over. */
        @WithDefault("60s")
        java.time.Duration lease();

        /**
         * Longest an accepted send waits for others to be recorded with it in one transaction. Longer
         * makes bigger groups (less database work per message) and leaves more sends unrecorded
         * should the process die, to be reconciled.
         */
        @WithDefault("20ms")
        java.time.Duration recordLinger();

        /** Attempts before a transiently failing notification is given up as failed. */
        @WithDefault("5")
        int maxAttempts();

        /** How long Twilio gets to record an uncertain SMS before we look it up. */
        @WithDefault("30s")
        java.time.Duration reconcileAfter();

        /** How often uncertain SMS are looked up at Twilio (a scheduler period such as 5s). */
        @WithDefault("5s")
        String reconcileInterval();

        /** Uncertain SMS looked up per run, at most. */
        @WithDefault("20")
        int reconcileBatch();

        /** The first retry waits about this long; each further one twice as long. */
        @WithDefault("30s")
        java.time.Duration retryBase();
    }

    interface Email {
        /** The From address; without it, {@code quarkus.mailer.from} ({@code QUARKUS_MAILER_FROM}). */
        Optional<String> from();

        Optional<String> replyTo();

        /**
         * The envelope sender for bounces (Return-Path). Each email gets its own (VERP):
         * {@code bounces@example.com} becomes {@code bounces+n42@example.com} for notification 42.
         */
        Optional<String> bounceAddress();

        @WithDefault("at-least-once")
        UncertainPolicy uncertainPolicy();

        /**
         * How long any one step of an SMTP session may take — connecting, the greeting, each
         * command's answer, the data — before the connection is closed and leaves the pool. A
         * whole send may take twice this; then it counts as uncertain.
         */
        @WithDefault("20s")
        java.time.Duration smtpTimeout();
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
