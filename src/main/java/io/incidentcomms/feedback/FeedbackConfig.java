package io.incidentcomms.feedback;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.feedback")
public interface FeedbackConfig {

    /** How long after a message an option code in a reply still counts as an answer to it. */
    @WithDefault("7d")
    Duration replyWindow();

    /** How many entries of the not-reached list and of the free replies the summary shows inline. */
    @WithDefault("50")
    int summarySample();
}
