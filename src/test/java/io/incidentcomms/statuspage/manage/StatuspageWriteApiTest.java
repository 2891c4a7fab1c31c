package io.incidentcomms.statuspage.manage;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.statuspage.ComponentStatuses;
import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Fixtures;
import io.incidentcomms.support.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

/**
 * A tool written for Atlassian Statuspage's API (Jira Service Management, Opsgenie, scripts) posts
 * here unchanged: its sequence of requests, shaped as Statuspage documents them, tells customers
 * exactly what the same incident declared through our own API tells them, and sets the same
 * component statuses.
 */
@QuarkusTest
class StatuspageWriteApiTest extends DeliveringTest {

    @Inject
    ComponentStatuses statuses;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String viaStatuspage = "component:sp-" + run;
    final String viaNative = "component:native-" + run;
    String pageId;
    String componentId;
    String key;

    @BeforeEach
    void catalogSubscribersAndAKey() {
        planAndDispatch();
        twilio.reset();
        asAdmin().body("{\"names\": {\"en\": \"Payments A" + run + "\"}}").put("/api/components/" + viaStatuspage)
                .then().statusCode(200);
        asAdmin().body("{\"names\": {\"en\": \"Payments B" + run + "\"}}").put("/api/components/" + viaNative)
                .then().statusCode(200);
        subscriber("sp", "+4474009" + digits(1), viaStatuspage);
        subscriber("native", "+4474009" + digits(2), viaNative);
        key = asAdmin().body("{\"name\": \"jsm-" + run + "\", \"role\": \"statuspage\"}").post("/api/keys").then()
                .statusCode(201).extract().path("key");
        pageId = given().get("/api/v2/summary.json").then().statusCode(200).extract().path("page.id");
        componentId = componentIdOf("Payments A" + run);
    }

    /** A component's id as a Statuspage client reads it, once the public snapshot (cached a few seconds) shows it. */
    static String componentIdOf(String name) {
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Map<String, Object>> components = given().get("/api/v2/components.json").then().statusCode(200)
                    .extract().path("components");
            java.util.Optional<String> id = components.stream().filter(c -> name.equals(c.get("name")))
                    .map(c -> (String) c.get("id")).findFirst();
            if (id.isPresent()) {
                return id.get();
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the status page never listed " + name);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    String digits(int who) {
        return String.format("%05d", (Math.abs(run.hashCode()) + who) % 100000);
    }

    void subscriber(String who, String phone, String scope) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s-%s@example.com", "phone": "%s", "smsConsent": true,
                 "consentSource": "test", "locale": "en", "timeZone": "Europe/London", "subscriptions": ["%s"]}"""
                .formatted(who, run, who, run, phone, scope)).post("/api/subscribers").then().statusCode(201);
    }

    RequestSpecification statuspageClient() {
        return given().header("Authorization", "OAuth " + key).contentType(ContentType.JSON);
    }

    @Test
    void aStatuspageClientsIncidentTellsCustomersWhatTheSameIncidentThroughOurApiTells() {
        String id = statuspageClient().body(Fixtures.read("statuspage/create-incident.json",
                Map.of("component_id", componentId)))
                .post("/v1/pages/" + pageId + "/incidents").then().statusCode(201)
                .body("status", org.hamcrest.Matchers.equalTo("investigating"))
                .body("impact", org.hamcrest.Matchers.equalTo("critical"))
                .body("page_id", org.hamcrest.Matchers.equalTo(pageId))
                .body("components[0].id", org.hamcrest.Matchers.equalTo(componentId))
                .body("components[0].status", org.hamcrest.Matchers.equalTo("major_outage"))
                .body("metadata.jira.issue_id", org.hamcrest.Matchers.equalTo("OPS-42"))
                .extract().path("id");
        String nativeKey = asAdmin().body("""
                {"title": "Card payments failing", "kind": "outage", "severity": "critical", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail at checkout."}, "componentStatuses": {"%s": "major_outage"}}"""
                .formatted(viaNative, viaNative)).post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        assertSameComponentStatus("major_outage");

        step(id, nativeKey, "identified", "We found the cause: an expired certificate.", "partial_outage", "major");
        step(id, nativeKey, "monitoring", "A fix is out; we are watching payments.", "degraded_performance", "minor");
        step(id, nativeKey, "resolved", "Card payments work again.", "operational", null);

        statuspageClient().get("/v1/pages/" + pageId + "/incidents/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("resolved"))
                .body("incident_updates.size()", org.hamcrest.Matchers.equalTo(4))
                .body("incident_updates[0].status", org.hamcrest.Matchers.equalTo("resolved"))
                .body("incident_updates[0].body", org.hamcrest.Matchers.equalTo("Card payments work again."))
                .body("resolved_at", org.hamcrest.Matchers.notNullValue());

        List<String> toStatuspageSubscriber = received("sp", "+4474009" + digits(1), id, "A");
        List<String> toNativeSubscriber = received("native", "+4474009" + digits(2), nativeKey, "B");
        // four emails, and SMS while the incident was critical or major (the channel policy's default)
        assertEquals(6, toStatuspageSubscriber.size(), "four emails and two SMS: " + toStatuspageSubscriber);
        assertEquals(toNativeSubscriber, toStatuspageSubscriber);
    }

    @Test
    void anIncidentCreatedInALaterStatusTellsCustomersThatStatusOnce() {
        String id = statuspageClient().body(Fixtures.read("statuspage/create-incident.json",
                Map.of("component_id", componentId)).replace("\"investigating\"", "\"identified\""))
                .post("/v1/pages/" + pageId + "/incidents").then().statusCode(201)
                .body("status", org.hamcrest.Matchers.equalTo("identified")).extract().path("id");
        planAndDispatch();
        List<MimeMessage> emails = Smtp.to("sp-" + run + "@example.com");
        assertEquals(1, emails.size(), "one message");
        assertTrue(Smtp.subject(emails.get(0)).startsWith("Cause found"), Smtp.subject(emails.get(0)));
        assertTrue(Smtp.text(emails.get(0)).contains("Card payments fail at checkout."));
        assertTrue(Smtp.text(emails.get(0)).contains(id));
    }

    @Test
    void answersHaveEveryFieldOfStatuspagesIncident() throws Exception {
        String answer = statuspageClient().body(Fixtures.read("statuspage/create-incident.json",
                Map.of("component_id", componentId))).post("/v1/pages/" + pageId + "/incidents").then().statusCode(201)
                .extract().asString();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode ours = json.readTree(answer);
        com.fasterxml.jackson.databind.JsonNode theirs = json.readTree(Fixtures.read("statuspage/incident.json"));
        assertHasFields(theirs, ours, java.util.Set.of(), "the incident");
        // Twitter and e-mail automation of Statuspage's own have no counterpart here
        assertHasFields(theirs.get("incident_updates").get(0), ours.get("incident_updates").get(0),
                java.util.Set.of("twitter_updated_at", "wants_twitter_update"), "an incident update");
        assertHasFields(theirs.get("components").get(0), ours.get("components").get(0),
                java.util.Set.of("automation_email"), "a component");
    }

    @Test
    void theKeyMustBeAStatuspageOrOpsKeyAndThePageThisOne() {
        String body = Fixtures.read("statuspage/create-incident.json", Map.of("component_id", componentId));
        given().contentType(ContentType.JSON).body(body).post("/v1/pages/" + pageId + "/incidents").then().statusCode(401);
        String events = asAdmin().body("{\"name\": \"events-" + run + "\", \"role\": \"events\"}").post("/api/keys")
                .then().statusCode(201).extract().path("key");
        given().header("Authorization", "OAuth " + events).contentType(ContentType.JSON).body(body)
                .post("/v1/pages/" + pageId + "/incidents").then().statusCode(403);
        statuspageClient().body(body).post("/v1/pages/notthispage0/incidents").then().statusCode(404)
                .contentType(org.hamcrest.Matchers.containsString("application/problem+json"));
        statuspageClient().body(Fixtures.read("statuspage/create-incident.json", Map.of("component_id", "unknown00000")))
                .post("/v1/pages/" + pageId + "/incidents").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("incident.components"));
    }

    static void assertHasFields(com.fasterxml.jackson.databind.JsonNode theirs, com.fasterxml.jackson.databind.JsonNode ours,
            java.util.Set<String> without, String what) {
        java.util.Set<String> missing = new java.util.TreeSet<>();
        theirs.fieldNames().forEachRemaining(name -> {
            if (!ours.has(name) && !without.contains(name)) {
                missing.add(name);
            }
        });
        assertEquals(java.util.Set.of(), missing, what + " lacks Statuspage's fields");
    }

    void step(String id, String nativeKey, String status, String body, String componentStatus, String severity) {
        statuspageClient().body(Fixtures.read("statuspage/update-incident.json", Map.of("status", status, "body", body,
                "component_id", componentId, "component_status", componentStatus)))
                .patch("/v1/pages/" + pageId + "/incidents/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo(status));
        asAdmin().body("""
                {"state": "%s", %s "explain": {"en": "%s"}, "componentStatuses": {"%s": "%s"}}"""
                .formatted(status, severity == null ? "" : "\"severity\": \"" + severity + "\",", body, viaNative,
                        componentStatus))
                .post("/api/incidents/" + nativeKey + "/updates").then().statusCode(201);
        planAndDispatch();
        assertSameComponentStatus(componentStatus);
    }

    void assertSameComponentStatus(String expected) {
        Map<String, ComponentStatus> now = statuses.current();
        assertEquals(expected, now.getOrDefault(viaStatuspage, ComponentStatus.OPERATIONAL).wire(),
                "the Statuspage client's component");
        assertEquals(expected, now.getOrDefault(viaNative, ComponentStatus.OPERATIONAL).wire(),
                "the natively declared incident's component");
    }

    /** What one subscriber received, in order, with what differs by incident (key, component, links, times) masked. */
    List<String> received(String who, String phone, String incidentKey, String component) {
        List<String> messages = new ArrayList<>();
        for (MimeMessage email : Smtp.to(who + "-" + run + "@example.com")) {
            messages.add("email: " + mask(Smtp.subject(email) + "\n" + Smtp.text(email), incidentKey, component));
        }
        twilio.created().stream().filter(m -> phone.equals(m.get("to")))
                .forEach(m -> messages.add("sms: " + mask((String) m.get("body"), incidentKey, component)));
        assertFalse(messages.isEmpty(), who + " was told");
        return messages;
    }

    String mask(String text, String incidentKey, String component) {
        String masked = text.replace(incidentKey, "KEY").replace("Payments " + component + run, "COMPONENT")
                .replaceAll("https?://\\S+", "LINK").replaceAll("localhost:8080/\\S+", "LINK")
                .replaceAll("\\b\\d{1,2}:\\d{2}\\b", "HH:MM").replaceAll("\\b\\d+ min\\b", "N min");
        assertTrue(!masked.contains(run), "nothing of the run is left unmasked: " + masked);
        return masked;
    }
}
