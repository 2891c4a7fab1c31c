package io.incidentcomms.events;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Carries committed outbox events to RabbitMQ ({@code incident-events}, with publisher confirms).
 * An event is marked published only after the broker confirmed it, so a crash or a broker outage
 * delays events but never loses them. Replicas share the work: a batch is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, and no transaction stays open while the broker
 * answers. Publishing goes through {@link BrokerPublisher}, not a reactive-messaging emitter: an
 * emitter may hold a message across a reconnect and send it later, or never, with no answer.
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);

    private final BrokerPublisher publisher;
    private final EntityManager em;
    private final Clock clock;
    private final EventsConfig config;
    private volatile boolean stopping;

    EventRelay(BrokerPublisher publisher, EntityManager em, Clock clock, EventsConfig config) {
        this.publisher = publisher;
        this.em = em;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${comms.events.relay.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RelayDisabled.class)
    void relayPending() {
        if (stopping) {
            return;
        }
        List<Claimed> batch;
        do {
            batch = claimBatch();
            if (!publish(batch)) {
                return;
            }
        } while (batch.size() == config.relay().batchSize());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    /** Publishes the batch in order; true when the broker confirmed all of it. */
    boolean publish(List<Claimed> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        List<Long> ids = batch.stream().map(Claimed::id).toList();
        try {
            publisher.publish(batch.stream()
                    .map(e -> new BrokerPublisher.OutgoingEvent(e.eventId(), e.type(), e.payload())).toList(),
                    config.relay().confirmTimeout());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("Publishing %d event(s) to incident-events failed, will retry: %s", batch.size(), e.toString());
            release(ids);
            return false;
        }
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("update event_outbox set published_at = ?1, claimed_until = null where id = any(?2)")
                .setParameter(1, Timestamp.from(clock.instant()))
                .setParameter(2, ids.toArray(Long[]::new))
                .executeUpdate());
        return true;
    }

    private void release(List<Long> ids) {
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("update event_outbox set claimed_until = null where id = any(?1) and published_at is null")
                .setParameter(1, ids.toArray(Long[]::new))
                .executeUpdate());
    }

    @SuppressWarnings("unchecked")
    List<Claimed> claimBatch() {
        Instant now = clock.instant();
        Duration lease = config.relay().lease();
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Tuple> rows = em.createNativeQuery("""
                    update event_outbox set claimed_until = ?1, attempts = attempts + 1
                    where id in (select id from event_outbox
                                 where published_at is null and (claimed_until is null or claimed_until < ?2)
                                 order by id limit ?3 for update skip locked)
                    returning id, cast(event_id as text) as event_id, event_type, cast(payload as text) as payload""",
                    Tuple.class)
                    .setParameter(1, Timestamp.from(now.plus(lease)))
                    .setParameter(2, Timestamp.from(now))
                    .setParameter(3, config.relay().batchSize())
                    .getResultList();
            return rows.stream()
                    .map(r -> new Claimed(r.get("id", Number.class).longValue(), r.get("event_id", String.class),
                            r.get("event_type", String.class), r.get("payload", String.class)))
                    .sorted((a, b) -> Long.compare(a.id(), b.id()))
                    .toList();
        });
    }

    record Claimed(long id, String eventId, String type, String payload) {
    }

    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {
        private final EventsConfig config;

        RelayDisabled(EventsConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.relay().enabled();
        }
    }
}
