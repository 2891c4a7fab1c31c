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
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Delivery metrics at {@code /q/metrics}: {@code comms_messages_total} by channel and outcome,
 * {@code comms_queue_depth} (planned notifications per channel),
 * {@code comms_notifications_uncertain} (sends whose outcome a provider has not confirmed yet),
 * {@code comms_publish_to_first_send_seconds} (from an update's release to its first message out)
 * {@code comms_update_time_to_everyone_seconds} (from its release to its last message out,
 * recorded once per update by whichever replica sees it first) and
 * {@code comms_delivery_sends_per_record} (accepted sends recorded in one transaction).
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final EntityManager em;
    private final Timer publishToFirstSend;
    private final Timer timeToEveryone;
    private final DistributionSummary sendsPerRecord;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Updates whose first send this process already recorded. */
    private final Set<Long> firstSendKnown = ConcurrentHashMap.newKeySet();

    DeliveryMetrics(MeterRegistry registry, EntityManager em) {
        this.registry = registry;
        this.em = em;
        this.publishToFirstSend = Timer.builder("comms.publish.to.first.send")
                .description("From an update's release to its first message out").register(registry);
        this.sendsPerRecord = DistributionSummary.builder("comms.delivery.sends.per.record")
                .description("Accepted sends recorded together in one transaction").register(registry);
        this.timeToEveryone = Timer.builder("comms.update.time.to.everyone")
                .description("From an update's release to its last message out").register(registry);
        Gauge.builder("comms.notifications.uncertain", () -> count("select count(*) from notification_queue where state = 'UNCERTAIN'"))
                .description("Sends whose outcome the provider has not confirmed yet").register(registry);
        for (Channel channel : Channel.values()) {
            // exported from the start, so that rates and alerts have a series before the first message
            counter(channel.wire(), "sent");
            counter(channel.wire(), "uncertain");
            Gauge.builder("comms.queue.depth", () -> queueDepth(channel)).tag("channel", channel.wire())
                    .description("Notifications planned and not yet sent").register(registry);
        }
    }

    void recordedTogether(int sends) {
        sendsPerRecord.record(sends);
    }

    public void outcome(Channel channel, String outcome) {
        outcome(channel, outcome, 1);
    }

    public void outcome(Channel channel, String outcome, int count) {
        counter(channel == null ? "any" : channel.wire(), outcome).increment(count);
    }

    private Counter counter(String channelTag, String outcome) {
        return counters.computeIfAbsent(channelTag + "|" + outcome, k -> Counter.builder("comms.messages")
                .description("Messages by channel and outcome").tag("channel", channelTag).tag("outcome", outcome)
                .register(registry));
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

    /**
     * Records the time to everyone of each update whose last notification has gone out (none left
     * planned, sending or uncertain); the update marks it, so each is recorded once.
     */
    @io.quarkus.scheduler.Scheduled(every = "10s", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    @SuppressWarnings("unchecked")
    void recordTimeToEveryone() {
        List<Tuple> reached = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                with done as (
                    select ni.id, ni.created_at,
                           (select max(n.sent_at) from notification n where n.incident_update_id = ni.incident_update_id) as last_sent
                    from notification_intent ni
                    where ni.everyone_reached_at is null and ni.first_sent_at is not null
                      and not exists (select 1 from notification n where n.incident_update_id = ni.incident_update_id
                                      and n.state in ('PLANNED', 'SENDING', 'UNCERTAIN'))
                    limit 500)
                update notification_intent ni set everyone_reached_at = done.last_sent
                from done where ni.id = done.id and done.last_sent is not null
                returning done.created_at as released_at, done.last_sent""", Tuple.class).getResultList());
        for (Tuple row : reached) {
            Duration elapsed = Duration.between(SqlTimes.instant(row.get("released_at")), SqlTimes.instant(row.get("last_sent")));
            if (!elapsed.isNegative()) {
                timeToEveryone.record(elapsed);
            }
        }
    }

    private double count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).doubleValue());
    }

    private double queueDepth(Channel channel) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from notification_queue where state = 'PLANNED' and channel = ?1")
                .setParameter(1, channel.name()).getSingleResult()).doubleValue());
    }
}
