package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.incidentcomms.audience.AudienceResolver;
import io.incidentcomms.audience.Channel;
import io.incidentcomms.incident.DeliveryEstimates;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.message.MessageConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Recipients × cost ÷ rate, per channel (the channels send side by side, so the slower one
 * decides). An SMS is counted at the longest it may be ({@code comms.messages.sms-max-segments}),
 * and a tenth plus 5 seconds is added for what is paced ahead of them, so the estimate errs on the
 * late side; a channel without a rate limit costs nothing.
 */
@ApplicationScoped
public class DeliveryEstimator implements DeliveryEstimates {

    private final AudienceResolver audience;
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ReachCounts> reachCounts;
    private final SenderPacing pacing;
    private final MessageConfig messages;
    private final GoodwillCodes goodwill;

    DeliveryEstimator(AudienceResolver audience, SenderPacing pacing, MessageConfig messages, GoodwillCodes goodwill) {
        this.audience = audience;
        this.pacing = pacing;
        this.messages = messages;
        this.goodwill = goodwill;
    }

    /**
     * Counted once per HTTP request: a preview or a publish asks for the same audience more than
     * once (for the review and for the promise), and counting a large audience is the costly part.
     */
    @Override
    public Reach reach(IncidentQueries.AudienceTarget target) {
        io.quarkus.arc.ManagedContext request = io.quarkus.arc.Arc.container().requestContext();
        return request.isActive() ? reachCounts.get().computeIfAbsent(target, this::count) : count(target);
    }

    private Reach count(IncidentQueries.AudienceTarget target) {
        AudienceResolver.Counts counts = audience.count(target);
        Map<String, Map<String, Long>> recipients = new LinkedHashMap<>();
        long emails = 0;
        long sms = 0;
        for (Map.Entry<Channel, Map<String, Long>> channel : counts.perChannelAndLocale().entrySet()) {
            recipients.put(channel.getKey().wire(), channel.getValue());
            long total = channel.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (channel.getKey() == Channel.EMAIL) {
                emails = total;
            } else {
                sms = total;
            }
        }
        return new Reach(recipients, counts.subscribers(), toReach(emails, sms), goodwill.free(target.incidentId()),
                goodwill.given(target.incidentId()));
    }

    @Override
    public Duration toReach(IncidentQueries.AudienceTarget target) {
        if (pacing.rate(Channel.SMS) <= 0 && pacing.rate(Channel.EMAIL) <= 0) {
            return Duration.ZERO;
        }
        Map<Channel, Long> recipients = audience.countPerChannel(target);
        return toReach(recipients.get(Channel.EMAIL), recipients.get(Channel.SMS));
    }

    @Override
    public Duration toReach(long emails, long sms) {
        double smsRate = pacing.rate(Channel.SMS);
        double emailRate = pacing.rate(Channel.EMAIL);
        double smsSeconds = smsRate <= 0 ? 0 : sms * messages.smsMaxSegments() / smsRate;
        double emailSeconds = emailRate <= 0 ? 0 : emails / emailRate;
        double seconds = Math.max(smsSeconds, emailSeconds);
        // messages of other incidents already paced ahead, batches and recording: a tenth and 5 s more
        return seconds == 0 ? Duration.ZERO : Duration.ofMillis(Math.round(seconds * 1100) + 5000);
    }
}
