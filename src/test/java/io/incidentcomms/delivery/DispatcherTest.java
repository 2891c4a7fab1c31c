package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import io.incidentcomms.support.TestClockProducer;
import io.incidentcomms.support.TwilioStub;
import io.incidentcomms.support.TwilioStub.Answer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;
import jakarta.persistence.EntityManager;

/** Planned notifications go out by email (GreenMail) and SMS (Twilio stub), once each. */
@QuarkusTest
class DispatcherTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);
    static TwilioStub twilio;

    @Inject
    DeliveryPlanner planner;
    @Inject
    Dispatcher dispatcher;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:dispatch-" + run;

    @BeforeAll
    static void startStub() throws Exception {
        twilio = new TwilioStub(18099);
    }

    @AfterAll
    static void stopStub() {
        twilio.close();
    }

    @BeforeEach
    void drainEarlierWork() {
        twilio.reset();
        planAndDispatch();
        twilio.reset();
        smtp.reset();
    }

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
    }

    void subscriber(String who, String phone) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s.%s@example.com", "phone": "%s", "smsConsent": true,
                 "consentSource": "test", "locale": "de", "timeZone": "Europe/Berlin", "subscriptions": ["%s"]}"""
                .formatted(run, who, who, run, phone, scope)).post("/api/subscribers").then().statusCode(201);
    }

    String declare() {
        return asAdmin().body("""
                {"title": "Dispatch %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Checkout fails.", "de": "Die Kasse streikt."},
                 "options": [{"code": "1", "label": "Auf Rechnung zahlen"}]}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    void planAndDispatch() {
        while (planner.planBatch() > 0) {
            // plan everything released
        }
        while (dispatcher.dispatchBatch() > 0) {
            // send everything due
        }
    }

    List<String> states(String key) {
        @SuppressWarnings("unchecked")
        List<String> states = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.state from notification n join incident i on i.id = n.incident_id
                join subscriber s on s.id = n.subscriber_id
                where i.incident_key = ?1 and s.external_ref like ?2 order by n.id""")
                .setParameter(1, key).setParameter(2, run + "-%").getResultList());
        return states;
    }

    long createdFor(String number) {
        return twilio.created().stream().filter(m -> number.equals(m.get("to"))).count();
    }

    long requestsFor(String number) {
        return twilio.requests().stream().filter(r -> number.equals(r.form().get("To"))).count();
    }

    @Test
    void everyContactPointGetsTheUpdateExactlyOnce() throws Exception {
        subscriber("ann", "+447400200001");
        subscriber("bob", "+447400200002");
        String key = declare();

        planAndDispatch();
        planAndDispatch();

        // subscribers of earlier tests with wildcard subscriptions hear about this incident too
        List<String> recipients = Arrays.stream(smtp.getReceivedMessages())
                .map(m -> { try { return ((InternetAddress) m.getAllRecipients()[0]).getAddress(); }
                    catch (Exception e) { throw new IllegalStateException(e); } })
                .filter(address -> address.contains(run)).sorted().toList();
        assertEquals(List.of("ann." + run + "@example.com", "bob." + run + "@example.com"), recipients);
        List<java.util.Map<String, Object>> ours = twilio.created().stream()
                .filter(m -> List.of("+447400200001", "+447400200002").contains(m.get("to"))).toList();
        assertEquals(List.of("+447400200001", "+447400200002"),
                ours.stream().map(m -> (String) m.get("to")).sorted().toList());
        for (var message : ours) {
            String body = (String) message.get("body");
            assertTrue(body.startsWith("Status: Die Kasse streikt."), body);
            assertTrue(body.endsWith("STOP zum Abmelden"), "the first SMS says how to opt out: " + body);
            assertTrue(((String) message.get("status_callback_for_test")).contains("/api/twilio/status?notification="));
        }
        assertEquals(List.of("SENT", "SENT", "SENT", "SENT"), states(key));

        asAdmin().get("/api/incidents/" + key + "/summary").then().statusCode(200)
                .body("perChannel.email.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("perChannel.sms.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("perChannel.sms.failed", org.hamcrest.Matchers.is(0));
        asAdmin().queryParam("channel", "sms").queryParam("status", "sent").queryParam("size", 500)
                .get("/api/incidents/" + key + "/deliveries").then().statusCode(200)
                .body("items.findAll { it.subscriber.startsWith('" + run + "') }.address",
                        org.hamcrest.Matchers.containsInAnyOrder("+44*******001", "+44*******002"))
                .body("items.channel", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("sms")));
        asAdmin().queryParam("status", "lost").get("/api/incidents/" + key + "/deliveries").then().statusCode(400);
    }

    @Test
    void aThrottledSmsWaitsForItsRetryAndThenGoesOutOnce() {
        subscriber("cat", "+447400200003");
        twilio.scriptFor("+447400200003", Answer.error(429, 20429));
        String key = declare();

        planAndDispatch();
        assertEquals(0, createdFor("+447400200003"));
        assertTrue(states(key).contains("PLANNED"), states(key).toString());
        planAndDispatch();
        assertEquals(0, createdFor("+447400200003"), "not before its next attempt time");

        TestClockProducer.testClock().advance(Duration.ofMinutes(2));
        planAndDispatch();
        assertEquals(1, createdFor("+447400200003"));
        assertEquals(List.of("SENT", "SENT"), states(key));
    }

    @Test
    void anOptedOutNumberFailsAtOnceAndIsMarkedOptedOut() {
        subscriber("dan", "+447400200004");
        twilio.scriptFor("+447400200004", Answer.error(400, 21610));
        declare();

        planAndDispatch();

        assertEquals(1, requestsFor("+447400200004"));
        asAdmin().get("/api/subscribers/" + run + "-dan").then().statusCode(200)
                .body("contactPoints.find { it.channel == 'sms' }.optedOutVia", org.hamcrest.Matchers.is("STOP_REPLY"));
    }

    @Test
    void aNewerUpdatePublishedWhileAnOlderOneIsQueuedSupersedesIt() {
        subscriber("fay", "+447400200006");
        String key = declare();
        while (planner.planBatch() > 0) {
            // the declaration is planned but not sent
        }
        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed\", \"de\": \"Behoben\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        planAndDispatch();

        assertEquals(List.of("SUPERSEDED", "SUPERSEDED", "SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200006"));
        String body = (String) twilio.created().stream().filter(m -> "+447400200006".equals(m.get("to"))).findFirst()
                .orElseThrow().get("body");
        assertTrue(body.contains("Behoben"), body);
    }

    @Test
    void behindALargeMinorFanOutACriticalUpdatesFirstMessageGoesOutFirst() {
        String minorScope = "component:fanout-" + run;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            rows.append("{\"externalRef\": \"").append(run).append("-minor-").append(i)
                    .append("\", \"phone\": \"+4474003").append(String.format("%05d", i))
                    .append("\", \"smsConsent\": true, \"consentSource\": \"test\", \"tier\": \"priority\", ")
                    .append("\"subscriptions\": [\"").append(minorScope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import")
                .then().statusCode(200).body("imported", org.hamcrest.Matchers.is(300));
        asAdmin().body("""
                {"title": "Minor %s", "kind": "degradation", "severity": "minor", "scopes": ["%s"],
                 "explain": {"en": "Search is a little slow."}}""".formatted(run, minorScope))
                .post("/api/incidents").then().statusCode(201);
        while (planner.planBatch() > 0) {
            // the minor fan-out is queued first
        }
        subscriber("vip", "+447400299999");
        declare();

        planAndDispatch();

        List<String> order = twilio.created().stream().map(m -> (String) m.get("to")).toList();
        assertEquals(301, order.stream().filter(to -> to.startsWith("+4474003") || to.equals("+447400299999")).count());
        int firstMinor = order.indexOf(order.stream().filter(to -> to.startsWith("+4474003")).findFirst().orElseThrow());
        assertTrue(order.indexOf("+447400299999") < firstMinor,
                "the major incident's SMS goes before 300 queued minor ones: " + order.subList(0, 3));
    }

    @Test
    void anUncertainSmsFoundAtTwilioIsSentAndOneNotFoundIsSentAgainOnce() {
        subscriber("gil", "+447400200007");
        subscriber("hal", "+447400200008");
        twilio.scriptFor("+447400200007", Answer.createdButServerError());
        twilio.scriptFor("+447400200008", Answer.serverError());
        String key = declare();
        planAndDispatch();
        assertEquals(List.of("SENT", "UNCERTAIN", "SENT", "UNCERTAIN"), states(key));

        TestClockProducer.testClock().advance(Duration.ofMinutes(1));
        planAndDispatch();

        assertEquals(List.of("SENT", "SENT", "SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200007"), "found at Twilio: not sent again");
        assertEquals(1, requestsFor("+447400200007"), "one create request, then only a look-up");
        assertEquals(1, createdFor("+447400200008"), "not found at Twilio: sent again, once");
    }

    @Test
    void anUncertainSmsIsNotSentAgainBlindly() {
        subscriber("eve", "+447400200005");
        twilio.scriptFor("+447400200005", Answer.serverError());
        String key = declare();

        planAndDispatch();
        planAndDispatch();

        assertEquals(1, requestsFor("+447400200005"));
        assertTrue(states(key).contains("UNCERTAIN"), states(key).toString());
    }
}
