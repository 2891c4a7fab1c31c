package io.incidentcomms.cadence;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The cadence policy. The update interval per severity is {@code comms.incidents.next-update.*}
 * (the promise every update makes); this adds what happens around it.
 */
@ConfigMapping(prefix = "comms.cadence")
public interface CadenceConfig {

    /** Fire due deadlines (nudges, holding updates, follow-ups). */
    @WithDefault("true")
    boolean enabled();

    /** How often each replica looks for due deadlines. */
    @WithDefault("5s")
    java.time.Duration interval();

    /** How far before a promised update the owner is nudged. */
    @WithDefault("10m")
    Duration nudgeLead();

    /** After this many holding updates in a row, the escalation contact is nudged too. */
    @WithDefault("3")
    int escalateAfterHoldings();

    /** Who hears of an escalation besides the owner (an email address or an E.164 number). */
    Optional<String> escalationContact();

    /** How long after resolution customers are asked whether everything works again. */
    @WithDefault("24h")
    Duration followUpDelay();

    /** After this many "still affected" answers to an incident's follow-up, the owner is nudged. */
    @WithDefault("3")
    int stillAffectedNudgeAt();
}
