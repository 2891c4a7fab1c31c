package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;

/** At most two SMS per recipient per incident in any hour, critical incidents aside. */
@QuarkusTest
class SmsBudgetTest extends DeliveringTest {

    final MutableClock clock = TestClockProducer.testClock();
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:budget-" + run;
    Instant t0;

    @BeforeEach
    void freeze() {
        planAndDispatch();
        t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(3));
        clock.freezeAt(t0);
        twilio.reset();
        Smtp.purge();
    }

    @AfterEach
    void unfreeze() {
        clock.reset();
    }

    void at(Duration sinceStart) {
        clock.freezeAt(t0.plus(sinceStart));
    }

    void subscriber(String who, String phone, boolean withEmail) {
        asAdmin().body("""
                {"externalRef": "%s-%s", %s "phone": "%s", "smsConsent": true, "consentSource": "test", "tier": "priority",
                 "subscriptions": ["%s"]}""".formatted(run, who,
                withEmail ? "\"email\": \"" + who + "." + run + "@example.com\"," : "", phone, scope))
                .post("/api/subscribers").then().statusCode(201);
    }

    String declare(String severity) {
        String key = asAdmin().body("""
                {"title": "Budget %s", "kind": "outage", "severity": "%s", "scopes": ["%s"],
                 "explain": {"en": "Update one."}}""".formatted(run, severity, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    void update(String key, String text) {
        asAdmin().body("{\"explain\": {\"en\": \"" + text + "\"}}").post("/api/incidents/" + key + "/updates").then()
                .statusCode(201);
        planAndDispatch();
    }

    List<String> smsTo(String number) {
        return twilio.created().stream().filter(m -> number.equals(m.get("to"))).map(m -> (String) m.get("body")).toList();
    }

    @Test
    void aThirdSmsWithinTheHourGoesByEmailOrWaitsAndIsMergedIntoTheNextUpdate() throws Exception {
        subscriber("pat", "+447400610001", false);
        subscriber("quin", "+447400610002", true);
        String key = declare("minor");
        at(Duration.ofMinutes(10));
        update(key, "Update two.");
        assertEquals(2, smsTo("+447400610001").size());

        at(Duration.ofMinutes(20));
        update(key, "Update three.");
        assertEquals(2, smsTo("+447400610001").size(), "the third waits");
        assertEquals(2, smsTo("+447400610002").size(), "and for someone with email ...");
        assertEquals(3, smtp.getReceivedMessagesForDomain("quin." + run + "@example.com").length,
                "... it goes by email, as every update does for them");

        at(Duration.ofMinutes(30));
        update(key, "Update four.");
        at(Duration.ofMinutes(59));
        planAndDispatch();
        assertEquals(2, smsTo("+447400610001").size());

        at(Duration.ofMinutes(60));
        planAndDispatch();
        List<String> pat = smsTo("+447400610001");
        assertEquals(3, pat.size(), "one more once the first SMS is an hour old, not a backlog");
        assertTrue(pat.get(2).contains("Update four."), "the latest state: " + pat.get(2));
    }

    @Test
    void criticalIncidentsAreExemptFromTheBudget() {
        subscriber("ray", "+447400610003", false);
        String key = declare("critical");
        at(Duration.ofMinutes(5));
        update(key, "Update two.");
        at(Duration.ofMinutes(10));
        update(key, "Update three.");
        assertEquals(3, smsTo("+447400610003").size());
    }
}
