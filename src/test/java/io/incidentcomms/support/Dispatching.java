package io.incidentcomms.support;

import java.sql.Timestamp;
import java.time.Duration;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.incidentcomms.delivery.SmsReconciliation;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

/**
 * Plans and sends everything released and looks up uncertain SMS, in the test's thread (the
 * scheduled planner, dispatcher and reconciliation are off in tests).
 */
public final class Dispatching {

    private Dispatching() {
    }

    public static void planAndDispatch(DeliveryPlanner planner, Dispatcher dispatcher, EntityManager em) {
        while (planner.planBatch() > 0) {
            // plan everything released
        }
        SmsReconciliation reconciliation = Arc.container().instance(SmsReconciliation.class).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reconciliation.reconcileDue() + dispatcher.dispatchBatch() > 0
                || (retryDueWithinSeconds(em, 3) && System.nanoTime() < deadline)) {
            // look up uncertain SMS, send everything due, and what a quick retry is about to make due
        }
    }

    /**
     * A transient failure (GreenMail now and then stalls a send) comes back after a short backoff;
     * on a held channel nothing comes back until it is resumed.
     */
    static boolean retryDueWithinSeconds(EntityManager em, int seconds) {
        boolean due = QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery("""
                select exists (select 1 from notification_queue q join notification n on n.id = q.notification_id
                               where q.state = 'PLANNED' and n.attempts > 0 and q.next_attempt_at <= ?1
                               and lower(q.channel) not in (select sender from send_rate where held_since is not null))""")
                .setParameter(1, Timestamp.from(TestClockProducer.testClock().instant().plusSeconds(seconds)))
                .getSingleResult());
        if (due) {
            // the retry's time comes: by the clock, which a test may have stopped
            TestClockProducer.testClock().advance(Duration.ofSeconds(1));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return due;
    }
}
