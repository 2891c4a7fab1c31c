package io.incidentcomms.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where ops hear about what needs them in chat ({@code comms.chat}): Slack incoming webhooks and
 * Microsoft Teams Workflows webhooks, each for some severities and events.
 */
@ConfigMapping(prefix = "comms.chat")
public interface ChatConfig {

    /** By name: {@code comms.chat.destinations.ops-slack.kind=slack}, {@code .url=...}. */
    Map<String, Destination> destinations();

    /** The console's address, for the links in chat messages; the public address when unset. */
    Optional<String> consoleBaseUrl();

    Relay relay();

    interface Destination {
        Kind kind();

        /** The incoming webhook's URL (a secret: it is all Slack or Teams asks for). */
        String url();

        /** The incidents' severities to tell about; every one when unset. Channel events have none and always go. */
        Optional<List<String>> severities();

        /** The events to tell about; {@link ChatMessages#EVENTS} when unset. */
        Optional<List<String>> events();
    }

    enum Kind {
        SLACK, TEAMS
    }

    interface Relay {
        /** Send chat messages from this replica. */
        @WithDefault("true")
        boolean enabled();

        /** The first retry's wait; each next one waits twice as long (with jitter), up to ten minutes. */
        @WithDefault("5s")
        Duration retryBase();

        /** How long a message is tried before it is given up (logged, kept with its error). */
        @WithDefault("24h")
        Duration giveUpAfter();
    }
}
