package io.incidentcomms.incident;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.Intents;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class IncidentLifecycleTest {

    static String declare(String severity) {
        return asAdmin().body(Api.declaration("Checkout down " + UUID.randomUUID(), severity, "component:checkout"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    static String declareMaintenance() {
        return asAdmin().body("""
                {"title": "Database upgrade %s", "kind": "maintenance", "severity": "minor",
                 "scopes": ["region:eu-west"], "startedAt": "2030-01-01T02:00:00Z", "expectedEndAt": "2030-01-01T04:00:00Z",
                 "explain": {"en": "We upgrade the database."}}""".formatted(UUID.randomUUID()))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    static void moveTo(String key, String state, int expectedStatus) {
        asAdmin().body("{\"state\": \"" + state + "\", \"explain\": {\"en\": \"Now " + state + "\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(expectedStatus);
    }

    @Test
    void aDeclaredIncidentGetsAHumanKeyAndStartsInvestigating() {
        asAdmin().body(Api.declaration("Payments failing", "critical", "component:payments"))
                .post("/api/incidents")
                .then().statusCode(201)
                .header("Location", containsString("/api/incidents/INC-"))
                .body("key", org.hamcrest.Matchers.matchesPattern("INC-\\d{4}-\\d{4}"))
                .body("state", is("investigating"))
                .body("severity", is("critical"))
                .body("nextUpdateBy", notNullValue())
                .body("timeline[0].messageKind", is("declared"))
                .body("timeline[0].status", is("published"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({ "investigating,identified", "investigating,monitoring", "investigating,resolved",
            "identified,monitoring", "identified,resolved", "identified,investigating", "monitoring,resolved",
            "monitoring,investigating", "monitoring,identified", "resolved,investigating" })
    void everyAllowedUnplannedTransitionWorks(String from, String to) {
        String key = declare("major");
        walkTo(key, from);
        moveTo(key, to, 201);
        asAnonymous().get("/api/incidents/" + key).then().body("state", is(to));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({ "scheduled,in_progress", "scheduled,cancelled", "in_progress,completed", "in_progress,cancelled" })
    void everyAllowedPlannedTransitionWorks(String from, String to) {
        String key = declareMaintenance();
        if (!from.equals("scheduled")) {
            moveTo(key, from, 201);
        }
        moveTo(key, to, 201);
        asAnonymous().get("/api/incidents/" + key).then().body("state", is(to));
    }

    @ParameterizedTest(name = "{0} → {1} is refused")
    @CsvSource({ "investigating,scheduled", "investigating,completed", "resolved,monitoring", "resolved,identified" })
    void anInvalidTransitionIsAConflictAndChangesNothing(String from, String to) {
        String key = declare("minor");
        walkTo(key, from);
        int before = timelineSize(key);

        asAdmin().body("{\"state\": \"" + to + "\", \"explain\": {\"en\": \"x\"}}")
                .post("/api/incidents/" + key + "/updates")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("cannot move from " + from + " to " + to));

        asAdmin().get("/api/incidents/" + key).then().body("state", is(from));
        assertEquals(before, timelineSize(key));
    }

    @Test
    void completedMaintenanceCannotStartAgain() {
        String key = declareMaintenance();
        moveTo(key, "in_progress", 201);
        moveTo(key, "completed", 201);
        moveTo(key, "in_progress", 409);
    }

    @Test
    void theTimelineComesBackInOrder() {
        String key = declare("major");
        moveTo(key, "identified", 201);
        asAdmin().body("{\"explain\": {\"en\": \"Internal: vendor ticket 4711\"}, \"notifyCustomers\": false}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        moveTo(key, "monitoring", 201);
        moveTo(key, "resolved", 201);

        asAdmin().get("/api/incidents/" + key).then()
                .body("timeline.seq", contains(1, 2, 3, 4, 5))
                .body("timeline.messageKind", contains("declared", "update", "update", "update", "resolved"))
                .body("timeline.stateTo", contains(null, "identified", null, "monitoring", "resolved"))
                .body("resolvedAt", notNullValue());
    }

    @Test
    void publicReadersSeeCustomerFacingTextButNoOwnerRecipientsOrInternalNotes() {
        String key = declare("major");
        asAdmin().body("{\"explain\": {\"en\": \"Internal: blame nobody, vendor ticket 4711\"}, \"notifyCustomers\": false}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        asAnonymous().get("/api/incidents/" + key).then().statusCode(200)
                .body("owner", nullValue())
                .body("recipients", nullValue())
                .body("timeline", org.hamcrest.Matchers.hasSize(1))
                .body("timeline[0].explain.en", is("Checkout fails for card payments."));
        asAdmin().get("/api/incidents/" + key).then()
                .body("owner.name", is("Dana Ops"))
                .body("timeline", org.hamcrest.Matchers.hasSize(2));
    }

    @Test
    void aDraftNotifiesNobodyUntilPublished() {
        String key = declare("major");
        long afterDeclare = Intents.recordedFor(key);
        int seq = asAdmin().body("{\"state\": \"identified\", \"explain\": {\"en\": \"Cause found\"}, \"draft\": true}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201)
                .body("status", is("draft")).extract().path("seq");

        assertEquals(afterDeclare, Intents.recordedFor(key));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("investigating"));
        asAnonymous().get("/api/incidents/" + key).then().body("timeline.seq", contains(1));
        asAdmin().get("/api/incidents/" + key + "/updates/" + seq + "/preview").then().statusCode(200)
                .body("stateFrom", is("investigating")).body("stateTo", is("identified"))
                .body("nextUpdateBy", notNullValue());

        asAdmin().post("/api/incidents/" + key + "/updates/" + seq + "/publish").then().statusCode(200)
                .body("status", is("published"));

        assertEquals(afterDeclare + 1, Intents.recordedFor(key));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("identified"));
        asAdmin().post("/api/incidents/" + key + "/updates/" + seq + "/publish").then().statusCode(409);
    }

    @Test
    void anInternalNoteNotifiesNobody() {
        String key = declare("minor");
        long before = Intents.recordedFor(key);
        asAdmin().body("{\"explain\": {\"en\": \"Internal only\"}, \"notifyCustomers\": false}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        assertEquals(before, Intents.recordedFor(key));
    }

    @Test
    void theListFiltersByStateSeverityAndScopeAndPages() {
        String scope = "component:list-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            asAdmin().body(Api.declaration("Listed " + i, i == 0 ? "critical" : "minor", scope))
                    .post("/api/incidents").then().statusCode(201);
        }
        asAnonymous().queryParam("scope", scope).get("/api/incidents").then().statusCode(200)
                .body("total", is(3)).body("items", org.hamcrest.Matchers.hasSize(3));
        asAnonymous().queryParam("scope", scope).queryParam("severity", "critical").get("/api/incidents")
                .then().body("total", is(1)).body("items[0].title", is("Listed 0"));
        asAnonymous().queryParam("scope", scope).queryParam("size", 2).queryParam("page", 1).get("/api/incidents")
                .then().body("total", is(3)).body("items", org.hamcrest.Matchers.hasSize(1));
        asAnonymous().queryParam("scope", scope).queryParam("state", "resolved").get("/api/incidents")
                .then().body("total", is(0));
        asAnonymous().queryParam("size", 0).get("/api/incidents").then().statusCode(400)
                .body("errors.field", hasItem("size"));
        asAnonymous().queryParam("from", "yesterday").get("/api/incidents").then().statusCode(400)
                .body("errors.field", hasItem("from"));
        asAnonymous().queryParam("severity", "huge").get("/api/incidents").then().statusCode(400)
                .body("errors.field", hasItem("severity"));
        asAnonymous().queryParam("scope", scope).queryParam("from", "2000-01-01T00:00:00Z")
                .queryParam("to", "2000-01-02T00:00:00Z").get("/api/incidents").then().body("total", is(0));
    }

    private static void walkTo(String key, String state) {
        switch (state) {
            case "investigating" -> {
            }
            case "identified" -> moveTo(key, "identified", 201);
            case "monitoring" -> moveTo(key, "monitoring", 201);
            case "resolved" -> moveTo(key, "resolved", 201);
            default -> throw new IllegalArgumentException(state);
        }
    }

    private static int timelineSize(String key) {
        List<Object> timeline = asAdmin().get("/api/incidents/" + key).then().extract().path("timeline");
        return timeline.size();
    }

    @Test
    void anonymousReadersSeeNeitherDraftsNorIncidentsAboutSingleAccounts() {
        String draft = asAdmin().body(Api.declaration("Secret draft " + UUID.randomUUID(), "major", "component:checkout")
                .replace("\"confirm\"", "\"draft\": true, \"confirm\"")).post("/api/incidents").then().statusCode(201)
                .extract().path("key");
        String account = asAdmin().body(Api.declaration("ACME only " + UUID.randomUUID(), "major", "account:ACME"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        String visible = declare("minor");

        asAnonymous().get("/api/incidents/" + draft).then().statusCode(404);
        asAnonymous().get("/api/incidents/" + account).then().statusCode(404);
        asAnonymous().get("/api/incidents/" + visible).then().statusCode(200).body("source", nullValue())
                .body("paused", nullValue()).body("timeline[0].author", nullValue());
        List<String> listed = asAnonymous().queryParam("size", 200).get("/api/incidents").then().statusCode(200)
                .extract().jsonPath().getList("items.key", String.class);
        assertEquals(false, listed.contains(draft) || listed.contains(account), listed.toString());
        assertEquals(true, listed.contains(visible));
        asAdmin().queryParam("size", 200).get("/api/incidents").then().body("items.key", hasItem(draft));
    }

    @Test
    void updatesPostedAtTheSameTimeAreAllKeptInTurn() throws Exception {
        String key = declare("major");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> posts = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                posts.add(pool.submit(() -> asAdmin().body("{\"explain\": {\"en\": \"Note " + n + "\"}, \"notifyCustomers\": false}")
                        .post("/api/incidents/" + key + "/updates").then().extract().statusCode()));
            }
            for (java.util.concurrent.Future<Integer> post : posts) {
                assertEquals(201, post.get());
            }
        } finally {
            pool.shutdown();
        }
        asAdmin().get("/api/incidents/" + key).then().body("timeline.seq", contains(1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    @Test
    void aPageBeyondAnyListIsAClientError() {
        asAdmin().queryParam("page", Integer.MAX_VALUE).get("/api/incidents").then().statusCode(400)
                .contentType(containsString("application/problem+json"));
        asAdmin().queryParam("page", Integer.MAX_VALUE).get("/api/subscribers").then().statusCode(400);
    }

    @Test
    void aTitleWithALineBreakIsRefused() {
        asAdmin().body(Api.declaration("Down\\nBcc: someone@example.com", "major", "component:checkout"))
                .post("/api/incidents").then().statusCode(400).body("errors[0].field", is("title"));
    }
}
