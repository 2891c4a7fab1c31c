package io.incidentcomms.audience;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.incidentcomms.incident.Severity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.audience")
public interface AudienceConfig {

    /** Region (ISO 3166 code such as GB) for phone numbers given without a country code. */
    Optional<String> defaultPhoneRegion();

    /** Which channels a matched subscriber is told on. */
    ChannelPolicy channelPolicy();

    SelfService selfService();

    /** Seeds demo subscribers into an empty database (the no-services run only). */
    @WithDefault("false")
    boolean demoData();

    interface ChannelPolicy {
        /** Email to everyone with a usable address (else only to those who prefer email first). */
        @WithDefault("true")
        boolean emailForEveryone();

        /** SMS (to consenting numbers) for incidents of these severities. */
        @WithDefault("critical,major")
        Set<Severity> smsSeverities();

        /** SMS (to consenting numbers) for the priority tier, whatever the severity. */
        @WithDefault("true")
        boolean smsForPriorityTier();

        /** SMS (to consenting numbers) when SMS is the subscriber's first preference. */
        @WithDefault("true")
        boolean smsWhenPreferredFirst();
    }

    interface SelfService {
        /** HMAC secret for the tokens in message links ({@code COMMS_AUDIENCE_SELF_SERVICE_TOKEN_SECRET}). */
        Optional<String> tokenSecret();

        /** After this, a token still allows opting out, and nothing else. */
        @WithDefault("30d")
        Duration tokenLifetime();

        /** How long after opting out by link the page still offers to undo it. */
        @WithDefault("10m")
        Duration undoWindow();
    }
}
