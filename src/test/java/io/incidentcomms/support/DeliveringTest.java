package io.incidentcomms.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import com.icegreen.greenmail.util.GreenMail;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * What every test that sends messages shares: the run's GreenMail, a Twilio stub for the test
 * class on the port the SMS sender is configured for, and planning and sending in the test's
 * thread. A base class rather than a JUnit extension: {@code @QuarkusTest} loads the test class in
 * its own class loader, and the stub must be the one the tests script.
 */
public abstract class DeliveringTest {

    protected static final GreenMail smtp = Smtp.server();
    protected static TwilioStub twilio;

    @Inject
    protected DeliveryPlanner planner;
    @Inject
    protected Dispatcher dispatcher;
    @Inject
    protected EntityManager em;

    @BeforeAll
    static void startTwilioStub() throws Exception {
        twilio = new TwilioStub(18099);
    }

    @AfterAll
    static void stopTwilioStub() {
        twilio.close();
    }

    /**
     * Whatever a test did to its notifications, the queue table holds exactly the unfinished ones,
     * each as its notification row has it (the triggers of V28 keep it so): a planned notification
     * missing from it would never be sent, one left in it after it was sent could be claimed again.
     */
    @AfterEach
    void theQueueMirrorsTheUnfinishedNotifications() {
        @SuppressWarnings("unchecked")
        List<Object> mismatched = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select coalesce(n.id, q.notification_id)
                from (select * from notification where state in ('PLANNED', 'SENDING', 'UNCERTAIN')) n
                full join notification_queue q on q.notification_id = n.id
                where n.id is null or q.notification_id is null
                   or (n.state, n.channel, n.incident_id, n.contact_point_id, n.priority, n.turn, n.next_attempt_at, n.lease_until)
                      is distinct from (q.state, q.channel, q.incident_id, q.contact_point_id, q.priority, q.turn,
                                        q.next_attempt_at, q.lease_until)
                limit 10""").getResultList());
        assertEquals(List.of(), mismatched, "notifications whose queue row is missing, stale or left over");
    }

    /**
     * Sends what earlier tests left and cancels the promises they made, so that a test of the
     * cadence sees only its own deadlines fire.
     */
    protected void quietEarlierWork() {
        planAndDispatch();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update cadence_deadline set cancelled_at = now() where fired_at is null and cancelled_at is null")
                .executeUpdate());
    }

    /** Plans everything released and sends everything due. */
    protected void planAndDispatch() {
        Dispatching.planAndDispatch(planner, dispatcher, em);
    }
}
