package io.incidentcomms.events;

import java.time.Clock;
import java.time.Duration;

import io.incidentcomms.platform.time.SqlTimes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The event outbox at {@code /q/metrics}: {@code comms_relay_backlog} (events not yet on the
 * broker) and {@code comms_relay_oldest_seconds} (how long the oldest of them has waited).
 */
@Startup
@ApplicationScoped
public class RelayMetrics {

    private final EntityManager em;
    private final Clock clock;

    RelayMetrics(MeterRegistry registry, EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
        Gauge.builder("comms.relay.backlog", this::backlog).description("Events not yet published to the broker")
                .register(registry);
        Gauge.builder("comms.relay.oldest", this::oldestSeconds).baseUnit("seconds")
                .description("How long the oldest unpublished event has waited").register(registry);
    }

    private double backlog() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from event_outbox where published_at is null").getSingleResult()).doubleValue());
    }

    private double oldestSeconds() {
        Object oldest = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select min(created_at) from event_outbox where published_at is null").getSingleResult());
        return oldest == null ? 0 : Math.max(0, Duration.between(SqlTimes.instant(oldest), clock.instant()).toSeconds());
    }
}
