package io.incidentcomms.cadence;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Promises at {@code /q/metrics}: {@code comms_promises_total} by how each ended ({@code kept}: ops
 * posted before the holding update was due; {@code held}: the holding update kept it for them),
 * {@code comms_promises_due_soon} (open promises whose holding update is due within the nudge lead:
 * at risk), {@code comms_promises_overdue} (holding updates due more than two minutes ago and not
 * sent: the cadence is behind) and {@code comms_deadlines_failing} (deadlines set aside after
 * failing to fire).
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class PromiseMetrics {

    static final Duration OVERDUE = Duration.ofMinutes(2);

    private final EntityManager em;
    private final Clock clock;
    private final CadenceConfig config;
    private final Counter kept;
    private final Counter held;

    PromiseMetrics(MeterRegistry registry, EntityManager em, Clock clock, CadenceConfig config) {
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.kept = Counter.builder("comms.promises").tag("outcome", "kept")
                .description("Promised updates that came in time, by how").register(registry);
        this.held = Counter.builder("comms.promises").tag("outcome", "held").register(registry);
        Gauge.builder("comms.promises.due.soon", this::dueSoon)
                .description("Open promises whose holding update is due within the nudge lead").register(registry);
        Gauge.builder("comms.promises.overdue", this::overdue)
                .description("Holding updates due for more than two minutes and not sent").register(registry);
        Gauge.builder("comms.deadlines.failing", this::failing)
                .description("Deadlines set aside after failing to fire").register(registry);
    }

    /** An update reached customers while a promise was open: ops kept it. */
    void kept(int promises) {
        kept.increment(promises);
    }

    /** The holding update went out in their place. */
    void held() {
        held.increment();
    }

    private double dueSoon() {
        return count("""
                select count(*) from cadence_deadline
                where kind = 'HOLDING' and fired_at is null and cancelled_at is null and due_at <= ?1""",
                Timestamp.from(clock.instant().plus(config.nudgeLead())));
    }

    private double overdue() {
        return count("""
                select count(*) from cadence_deadline
                where kind = 'HOLDING' and fired_at is null and cancelled_at is null and failed_at is null and due_at <= ?1""",
                Timestamp.from(clock.instant().minus(OVERDUE)));
    }

    private double failing() {
        return count("select count(*) from cadence_deadline where failed_at is not null and fired_at is null and cancelled_at is null",
                null);
    }

    private double count(String sql, Timestamp at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery(sql);
            if (at != null) {
                query.setParameter(1, at);
            }
            return ((Number) query.getSingleResult()).doubleValue();
        });
    }
}
