package io.incidentcomms.incident;

import java.time.Duration;
import java.util.Map;

/** Who an incident's messages reach and how long that takes at the senders' rates (delivery answers it). */
public interface DeliveryEstimates {

    Duration toReach(IncidentQueries.AudienceTarget target);

    /** For an audience already counted: so many emails and SMS. */
    Duration toReach(long emails, long sms);

    /** The audience counted per channel and locale, with the delivery estimate and the goodwill codes left. */
    Reach reach(IncidentQueries.AudienceTarget target);

    /**
     * {@code recipients}: channel ({@code email}, {@code sms}) → subscriber locale → contact points;
     * {@code subscribers}: distinct subscribers; {@code goodwillCodesFree}: codes of the incident's
     * pool not given to anyone yet, and {@code goodwillCodesGiven} those already given.
     */
    record Reach(Map<String, Map<String, Long>> recipients, long subscribers, Duration estimate, long goodwillCodesFree,
            long goodwillCodesGiven) {

        public long total() {
            return recipients.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        }
    }
}
