package io.incidentcomms.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.icegreen.greenmail.util.GreenMail;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
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
