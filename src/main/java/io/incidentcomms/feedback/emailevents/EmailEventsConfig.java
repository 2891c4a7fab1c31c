package io.incidentcomms.feedback.emailevents;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounce and complaint events from email providers ({@code comms.email-events}). Each provider's
 * endpoint answers 404 until it is configured here.
 */
@ConfigMapping(prefix = "comms.email-events")
public interface EmailEventsConfig {

    /** Soft bounces in a row after which an address counts as bounced. */
    @WithDefault("5")
    int softBounceLimit();

    Ses ses();

    SendGrid sendgrid();

    Postmark postmark();

    /** Amazon SES notifications through an SNS topic's HTTPS subscription. */
    interface Ses {
        /** The SNS topics whose messages are taken; any other topic is refused. */
        Optional<List<String>> topicArns();

        /**
         * Where SNS certificates and subscription confirmations may be fetched from: Amazon's own
         * SNS hosts over HTTPS (a forged message naming another host is refused before any fetch).
         */
        @WithDefault("^https://sns[.][a-zA-Z0-9-]{3,}[.]amazonaws[.]com([.]cn)?/.*")
        String snsUrlPattern();
    }

    /** SendGrid's signed Event Webhook. */
    interface SendGrid {
        /** The verification key SendGrid shows for the signed webhook (base64, an ECDSA P-256 public key). */
        Optional<String> publicKey();

        /** How far the signed timestamp may be from our clock. */
        @WithDefault("10m")
        Duration timestampTolerance();
    }

    /** Postmark's webhooks, which do not sign: basic authentication in the webhook's URL. */
    interface Postmark {
        Optional<String> username();

        Optional<String> password();
    }
}
