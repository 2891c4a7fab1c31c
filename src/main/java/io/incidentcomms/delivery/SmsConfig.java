package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.sms")
public interface SmsConfig {

    Twilio twilio();

    interface Twilio {
        Optional<String> accountSid();

        Optional<String> authToken();

        /** The sender number (E.164), unless a messaging service sends. */
        Optional<String> fromNumber();

        Optional<String> messagingServiceSid();

        /** Twilio's API; tests and benchmarks point this at a local stub. */
        @WithDefault("https://api.twilio.com")
        String baseUrl();

        @WithDefault("10s")
        Duration timeout();
    }
}
