package io.incidentcomms.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.time.SqlTimes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Delivery metrics at {@code /q/metrics}: {@code comms_messages_total} by channel and outcome,
 * {@code comms_queue_depth} (planned notifications per channel) and
 * {@code comms_publish_to_first_send_seconds} (from an update's release to its first message out).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final EntityManager em;
    private final Timer publishToFirstSend;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Updates whose first send this process already recorded. */
    private final Set<Long> firstSendKnown = ConcurrentHashMap.newKeySet();

    DeliveryMetrics(MeterRegistry registry, EntityManager em) {
        this.registry = registry;
        this.em = em;
        this.publishToFirstSend = Timer.builder("comms.publish.to.first.send")
                .description("From an update's release to its first message out").register(registry);
        for (Channel channel : Channel.values()) {
            Gauge.builder("comms.queue.depth", () -> queueDepth(channel)).tag("channel", channel.wire())
                    .description("Notifications planned and not yet sent").register(registry);
        }
    }

    public void outcome(Channel channel, String outcome) {
        outcome(channel, outcome, 1);
    }

    public void outcome(Channel channel, String outcome, int count) {
        String channelTag = channel == null ? "any" : channel.wire();
        counters.computeIfAbsent(channelTag + "|" + outcome, k -> Counter.builder("comms.messages")
                .description("Messages by channel and outcome").tag("channel", channelTag).tag("outcome", outcome)
                .register(registry)).increment(count);
    }

    /** Records the first message out of an update, once per update across replicas. */
    @SuppressWarnings("unchecked")
    void firstSend(long updateId, Instant at) {
        if (!firstSendKnown.add(updateId)) {
            return;
        }
        List<Object> released = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update notification_intent set first_sent_at = ?1 where incident_update_id = ?2 and first_sent_at is null
                returning created_at""")
                .setParameter(1, Timestamp.from(at)).setParameter(2, updateId).getResultList());
        if (!released.isEmpty()) {
            Duration elapsed = Duration.between(SqlTimes.instant(released.get(0)), at);
            if (!elapsed.isNegative()) { // replicas' clocks may disagree by a little
                publishToFirstSend.record(elapsed);
            }
        }
        if (firstSendKnown.size() > 100_000) {
            firstSendKnown.clear();
        }
    }

    private double queueDepth(Channel channel) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from notification where state = 'PLANNED' and channel = ?1")
                .setParameter(1, channel.name()).getSingleResult()).doubleValue());
    }
}
