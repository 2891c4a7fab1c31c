package io.incidentcomms.incident.ingest;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Intents;
import io.incidentcomms.support.Signing;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@QuarkusTest
class WebhookTest {

    @Inject
    EntityManager em;

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
    }

    static ValidatableResponse postGeneric(String body, String secret, long timestamp) {
        String signature = "v1=" + Signing.hmacHex(secret, timestamp + "." + body);
        return given().contentType("application/json").header("X-Signature-Timestamp", String.valueOf(timestamp))
                .header("X-Signature", signature).body(body).post("/api/hooks/monitoring").then();
    }

    static long now() {
        return TestClockProducer.testClock().instant().getEpochSecond();
    }

    static String genericEvent(String eventId, String externalId, String extra) {
        return """
                {"eventId": "%s", "externalId": "%s", "title": "Store systems offline", "kind": "closure",
                 "severity": "major", "scopes": ["location:store-042"], "explain": {"en": "Store 42 is closed today."}%s}
                """.formatted(eventId, externalId, extra);
    }

    @Test
    void theSameWebhookDeliveredFiveTimesYieldsOneIncidentUpdate() {
        String externalId = "TICKET-" + UUID.randomUUID();
        String body = genericEvent("evt-" + UUID.randomUUID(), externalId, "");
        String key = postGeneric(body, "monitoring-secret", now()).statusCode(200)
                .body("results[0].outcome", is("DECLARED")).extract().path("results[0].incidentKey");
        for (int i = 0; i < 4; i++) {
            postGeneric(body, "monitoring-secret", now()).statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        }
        asAdmin().get("/api/incidents/" + key).then().body("timeline", hasSize(1));
        assertEquals(1, Intents.recordedFor(key));

        String resolve = """
                {"eventId": "evt-%s", "externalId": "%s", "state": "resolved", "explain": {"en": "Store 42 is open again."}}
                """.formatted(UUID.randomUUID(), externalId);
        postGeneric(resolve, "monitoring-secret", now()).statusCode(200).body("results[0].outcome", is("RESOLVED"));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("resolved")).body("timeline", hasSize(2));
    }

    @Test
    void aWrongSignatureIs401AndStoresNothing() {
        String externalId = "TICKET-" + UUID.randomUUID();
        String eventId = "evt-" + UUID.randomUUID();
        String body = genericEvent(eventId, externalId, "");
        postGeneric(body, "not-the-secret", now()).statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body(body).post("/api/hooks/monitoring").then().statusCode(401);

        assertEquals(0L, countIncidents(externalId));
        assertEquals(0L, countInboundEvents(eventId));
        // the same event, correctly signed, is then still accepted: the failed attempts left no trace
        postGeneric(body, "monitoring-secret", now()).statusCode(200).body("results[0].outcome", is("DECLARED"));
    }

    @Test
    void aTimestampOutsideTheToleranceIs401() {
        String externalId = "TICKET-" + UUID.randomUUID();
        String body = genericEvent("evt-" + UUID.randomUUID(), externalId, "");
        postGeneric(body, "monitoring-secret", now() - Duration.ofMinutes(6).toSeconds()).statusCode(401);
        postGeneric(body, "monitoring-secret", now() + Duration.ofMinutes(6).toSeconds()).statusCode(401);
        assertEquals(0L, countIncidents(externalId));
    }

    @Test
    void aSecretBeingRotatedOutStillVerifies() {
        String body = genericEvent("evt-" + UUID.randomUUID(), "TICKET-" + UUID.randomUUID(), "");
        postGeneric(body, "old-monitoring-secret", now()).statusCode(200);
    }

    @Test
    void anUnknownSourceIs404() {
        given().contentType("application/json").body("{}").post("/api/hooks/nobody").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aSignedButInvalidGenericEventIs400NamingTheField() {
        String body = """
                {"eventId": "evt-%s", "externalId": "T-%s", "title": "x", "kind": "outage", "severity": "major",
                 "scopes": ["galaxy:far-away"], "explain": {"en": "x"}}""".formatted(UUID.randomUUID(), UUID.randomUUID());
        postGeneric(body, "monitoring-secret", now()).statusCode(400).body("errors[0].field", is("scopes[0]"));
    }

    static String alertmanager(String status, String fingerprint, String startsAt) {
        return """
                {"version": "4", "groupKey": "{}:{alertname=\\"CheckoutErrors\\"}", "status": "%1$s", "receiver": "comms",
                 "groupLabels": {"alertname": "CheckoutErrors"}, "commonLabels": {}, "commonAnnotations": {},
                 "externalURL": "http://alertmanager:9093", "truncatedAlerts": 0,
                 "alerts": [{"status": "%1$s",
                   "labels": {"alertname": "CheckoutErrors", "region": "eu-west", "service": "checkout", "severity": "critical", "instance": "web-1"},
                   "annotations": {"summary": "Checkout errors above 5%%", "description": "Card payments fail in eu-west."},
                   "startsAt": "%3$s", "endsAt": "%4$s", "generatorURL": "http://prometheus/graph", "fingerprint": "%2$s"}]}
                """.formatted(status, fingerprint, startsAt,
                status.equals("resolved") ? "2026-11-22T11:00:00Z" : "0001-01-01T00:00:00Z");
    }

    static ValidatableResponse postAlertmanager(String body) {
        return given().contentType("application/json").header("Authorization", "Bearer alertmanager-token").body(body)
                .post("/api/hooks/prometheus").then();
    }

    @Test
    void anAlertmanagerFiringPayloadBecomesAnIncidentWithMappedScopesAndResolvedResolvesIt() {
        String fingerprint = UUID.randomUUID().toString().substring(0, 16);
        String key = postAlertmanager(alertmanager("firing", fingerprint, "2026-11-22T10:00:00Z")).statusCode(200)
                .body("results[0].outcome", is("DECLARED")).extract().path("results[0].incidentKey");
        asAdmin().get("/api/incidents/" + key).then()
                .body("scopes", org.hamcrest.Matchers.containsInAnyOrder("component:checkout", "region:eu-west"))
                .body("severity", is("critical"))
                .body("title", is("Checkout errors above 5%"))
                .body("state", is("investigating"));

        postAlertmanager(alertmanager("resolved", fingerprint, "2026-11-22T10:00:00Z")).statusCode(200)
                .body("results[0].outcome", is("RESOLVED"));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("resolved"));
    }

    @Test
    void anAlertmanagerPayloadResentUnchangedNotifiesNobody() {
        String fingerprint = UUID.randomUUID().toString().substring(0, 16);
        String firing = alertmanager("firing", fingerprint, "2026-11-22T10:00:00Z");
        String key = postAlertmanager(firing).statusCode(200).extract().path("results[0].incidentKey");
        long intents = Intents.recordedFor(key);
        for (int i = 0; i < 3; i++) {
            postAlertmanager(firing).statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        }
        assertEquals(intents, Intents.recordedFor(key));
        asAdmin().get("/api/incidents/" + key).then().body("timeline", hasSize(1));
    }

    @Test
    void aFlappingAlertContinuesTheSameIncidentButALateRefireOpensANewOne() {
        String fingerprint = UUID.randomUUID().toString().substring(0, 16);
        String key = postAlertmanager(alertmanager("firing", fingerprint, "2026-11-22T10:00:00Z"))
                .extract().path("results[0].incidentKey");
        postAlertmanager(alertmanager("resolved", fingerprint, "2026-11-22T10:00:00Z")).statusCode(200);

        TestClockProducer.testClock().advance(Duration.ofMinutes(5));
        postAlertmanager(alertmanager("firing", fingerprint, "2026-11-22T10:20:00Z")).statusCode(200)
                .body("results[0].outcome", is("REOPENED")).body("results[0].incidentKey", is(key));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("investigating"));

        postAlertmanager(alertmanager("resolved", fingerprint, "2026-11-22T10:20:00Z")).statusCode(200);
        TestClockProducer.testClock().advance(Duration.ofHours(2));
        String later = postAlertmanager(alertmanager("firing", fingerprint, "2026-11-22T13:00:00Z")).statusCode(200)
                .body("results[0].outcome", is("DECLARED")).extract().path("results[0].incidentKey");
        org.junit.jupiter.api.Assertions.assertNotEquals(key, later);
    }

    @Test
    void alertmanagerWithoutTheRightTokenIs401() {
        given().contentType("application/json").header("Authorization", "Bearer wrong")
                .body(alertmanager("firing", "abc", "2026-11-22T10:00:00Z")).post("/api/hooks/prometheus")
                .then().statusCode(401);
    }

    static String pagerDuty(String eventId, String type, String incidentId) {
        return """
                {"event": {"id": "%s", "event_type": "%s", "resource_type": "incident",
                  "occurred_at": "2026-11-22T10:00:00.000Z",
                  "agent": {"id": "PAGENT1", "summary": "Riley Responder", "type": "user_reference"}, "client": null,
                  "data": {"id": "%s", "type": "incident", "number": 42, "status": "triggered",
                    "title": "Login service unavailable", "created_at": "2026-11-22T09:58:00Z",
                    "service": {"id": "PSVC01", "summary": "Login Service", "type": "service_reference"},
                    "urgency": "high", "priority": {"id": "PPRIO1", "summary": "P1"}}}}
                """.formatted(eventId, type, incidentId);
    }

    static ValidatableResponse postPagerDuty(String body, String... secrets) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            header.append(header.length() == 0 ? "" : ",").append("v1=").append(Signing.hmacHex(secret, body));
        }
        return given().contentType("application/json").header("X-PagerDuty-Signature", header.toString()).body(body)
                .post("/api/hooks/pagerduty").then();
    }

    @Test
    void afterFiveRedeliveriesOfAPagerDutyTriggerTheLaterResolveStillResolvesOurs() {
        String incidentId = "Q" + UUID.randomUUID().toString().substring(0, 8);
        String triggered = pagerDuty("01TRIG" + UUID.randomUUID(), "incident.triggered", incidentId);
        String key = postPagerDuty(triggered, "pagerduty-new").statusCode(200)
                .body("results[0].outcome", is("DECLARED")).extract().path("results[0].incidentKey");
        for (int i = 0; i < 5; i++) {
            postPagerDuty(triggered, "pagerduty-new").statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        }
        asAdmin().get("/api/incidents/" + key).then().body("severity", is("critical"))
                .body("scopes", contains("component:login-service"));

        postPagerDuty(pagerDuty("01ACK" + UUID.randomUUID(), "incident.acknowledged", incidentId), "pagerduty-new")
                .statusCode(200).body("results[0].outcome", is("NOTED"));
        postPagerDuty(pagerDuty("01RES" + UUID.randomUUID(), "incident.resolved", incidentId), "pagerduty-new")
                .statusCode(200).body("results[0].outcome", is("RESOLVED"));

        asAdmin().get("/api/incidents/" + key).then().body("state", is("resolved"))
                .body("timeline.messageKind", contains("declared", "update", "resolved"))
                .body("timeline.notifyCustomers", contains(true, false, true));
    }

    @Test
    void pagerDutySignaturesAreCheckedAndAnySignatureOfARotationIsAccepted() {
        String incidentId = "Q" + UUID.randomUUID().toString().substring(0, 8);
        String triggered = pagerDuty("01TRIG" + UUID.randomUUID(), "incident.triggered", incidentId);
        postPagerDuty(triggered, "someone-else").statusCode(401);
        postPagerDuty(triggered, "someone-else", "pagerduty-old").statusCode(200)
                .body("results[0].outcome", is("DECLARED"));
    }

    private long countIncidents(String externalId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from incident where external_id = ?1").setParameter(1, externalId)
                .getSingleResult()).longValue());
    }

    private long countInboundEvents(String eventKey) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from inbound_event where event_key = ?1").setParameter(1, eventKey)
                .getSingleResult()).longValue());
    }


    @Test
    void aGenericEventOfJsonNullAndATimestampBeyondAnyDateAreClientErrors() {
        postGeneric("null", "monitoring-secret", now()).statusCode(400)
                .contentType(org.hamcrest.Matchers.containsString("application/problem+json"));
        given().contentType("application/json").header("X-Signature-Timestamp", "99999999999999999")
                .header("X-Signature", "v1=00").body("{}").post("/api/hooks/monitoring").then().statusCode(401)
                .contentType(org.hamcrest.Matchers.containsString("application/problem+json"));
    }

    @Test
    void aPagerDutyReopenLongAfterTheResolutionReopensTheIncidentAndIsAnswered2xx() {
        String incidentId = "Q" + UUID.randomUUID().toString().substring(0, 8);
        String key = postPagerDuty(pagerDuty("01TRIG" + UUID.randomUUID(), "incident.triggered", incidentId), "pagerduty-new")
                .statusCode(200).extract().path("results[0].incidentKey");
        postPagerDuty(pagerDuty("01RES" + UUID.randomUUID(), "incident.resolved", incidentId), "pagerduty-new")
                .statusCode(200).body("results[0].outcome", is("RESOLVED"));
        TestClockProducer.testClock().advance(Duration.ofHours(6));

        postPagerDuty(pagerDuty("01REO" + UUID.randomUUID(), "incident.reopened", incidentId), "pagerduty-new")
                .statusCode(200).body("results[0].outcome", is("REOPENED")).body("results[0].incidentKey", is(key));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("investigating"));
        postPagerDuty(pagerDuty("01REO" + UUID.randomUUID(), "incident.reopened", "Qnever-seen"), "pagerduty-new")
                .statusCode(200).body("results[0].outcome", is("IGNORED"));
    }
}
