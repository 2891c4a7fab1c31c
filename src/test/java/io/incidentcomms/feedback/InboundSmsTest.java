package io.incidentcomms.feedback;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Replies to our SMS: STOP stops every further SMS to the number, START resumes, HELP answers. */
@QuarkusTest
class InboundSmsTest {

    static final String INBOUND_URL = "http://localhost:8080/api/twilio/inbound";

    @Inject
    DeliveryPlanner planner;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:inbound-" + run;

    ValidatableResponse reply(String from, String body, boolean signed) throws Exception {
        Map<String, String> form = Map.of("From", from, "To", "+15005550006", "Body", body, "MessageSid", "SM" + run);
        var request = asAnonymous().contentType(ContentType.URLENC).formParams(form);
        if (signed) {
            request.header("X-Twilio-Signature", TwilioStatusCallbackTest.sign(INBOUND_URL, form));
        }
        return request.post("/api/twilio/inbound").then();
    }

    String declare(String title) {
        String key = asAdmin().body("""
                {"title": "%s %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Checkout fails."}}""".formatted(title, run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        while (planner.planBatch() > 0) {
            // planned
        }
        return key;
    }

    long smsPlannedFor(String key, String phone) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join contact_point cp on cp.id = n.contact_point_id
                join incident i on i.id = n.incident_id where i.incident_key = ?1 and cp.address = ?2""")
                .setParameter(1, key).setParameter(2, phone).getSingleResult()).longValue());
    }

    void subscriber(String phone, String who) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "phone": "%s", "smsConsent": true, "consentSource": "test", "tier": "priority",
                 "subscriptions": ["%s"]}""".formatted(run, who, phone, scope)).post("/api/subscribers").then().statusCode(201);
    }

    @Test
    void stopEndsEverySmsToTheNumberAcrossIncidentsAndStartResumes() throws Exception {
        subscriber("+447400310001", "ann");
        assertEquals(1, smsPlannedFor(declare("Before"), "+447400310001"));

        reply("+447400310001", " stop ", true).statusCode(200).contentType(Matchers.containsString("xml"))
                .body(Matchers.containsString("<Response/>"));
        asAdmin().get("/api/subscribers/" + run + "-ann").then()
                .body("contactPoints.find { it.channel == 'sms' }.optedOutVia", Matchers.is("STOP_REPLY"));
        assertEquals(0, smsPlannedFor(declare("While stopped"), "+447400310001"));

        reply("+447400310001", "START", true).statusCode(200);
        assertEquals(1, smsPlannedFor(declare("After start"), "+447400310001"));
    }

    @Test
    void helpIsAnsweredWithTheHelpTextInTwiml() throws Exception {
        subscriber("+447400310002", "bob");
        reply("+447400310002", "help", true).statusCode(200)
                .body(Matchers.containsString("<Response><Message>Status: updates about service disruptions. "
                        + "Reply STOP to opt out, START to opt back in.</Message></Response>"));
    }

    @Test
    void anUnsignedReplyIsRefusedAndOptsNobodyOut() throws Exception {
        subscriber("+447400310003", "cat");
        reply("+447400310003", "STOP", false).statusCode(403).contentType(Matchers.containsString("problem+json"));
        asAdmin().get("/api/subscribers/" + run + "-cat").then()
                .body("contactPoints.find { it.channel == 'sms' }.optedOutVia", Matchers.nullValue());
    }
}
