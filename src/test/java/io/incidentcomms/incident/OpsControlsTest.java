package io.incidentcomms.incident;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

@QuarkusTest
class OpsControlsTest {

    @Inject
    NotificationIntents intents;

    @Test
    void aPausedIncidentReleasesNothingToDeliveryUntilResumed() {
        RequestSpecification ops = Api.as("ops");
        String key = ops.body(Api.declaration("Paused " + UUID.randomUUID(), "major", "component:search"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        drainReleased();
        ops.post("/api/incidents/" + key + "/pause").then().statusCode(200).body("paused", is(true));
        ops.body("{\"state\": \"identified\", \"explain\": {\"en\": \"Index rebuild\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        assertTrue(drainReleased().isEmpty(), "nothing is released while the incident is paused");
        assertEquals(1, intents.pendingCount(key));

        ops.post("/api/incidents/" + key + "/resume").then().statusCode(200).body("paused", is(false));
        assertEquals(1, drainReleased().size());
        assertEquals(0, intents.pendingCount(key));
    }

    @Test
    void theGlobalPauseHoldsEveryIncidentUntilResumed() {
        RequestSpecification ops = Api.as("ops");
        drainReleased();
        ops.post("/api/messaging/pause").then().statusCode(200).body("paused", is(true));
        try {
            ops.body(Api.declaration("Held " + UUID.randomUUID(), "critical", "component:login"))
                    .post("/api/incidents").then().statusCode(201);
            assertTrue(drainReleased().isEmpty(), "nothing is released during a global pause");
        } finally {
            ops.post("/api/messaging/resume").then().statusCode(200).body("paused", is(false));
        }
        assertEquals(1, drainReleased().size());
    }

    @Test
    void theAuditLogShowsWhoDeclaredPublishedAndPaused() {
        String keyName = "ops-audit-" + UUID.randomUUID();
        String secret = asAdmin().body("{\"name\": \"" + keyName + "\", \"role\": \"ops\"}").post("/api/keys")
                .then().statusCode(201).extract().path("key");
        RequestSpecification ops = io.restassured.RestAssured.given().header("X-API-Key", secret)
                .contentType("application/json");
        String key = ops.body(Api.declaration("Audited " + UUID.randomUUID(), "minor", "component:search"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        int draft = ops.body("{\"explain\": {\"en\": \"Later\"}, \"draft\": true}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201).extract().path("seq");
        ops.post("/api/incidents/" + key + "/updates/" + draft + "/publish").then().statusCode(200);
        ops.post("/api/incidents/" + key + "/pause").then().statusCode(200);
        asAdmin().post("/api/incidents/" + key + "/resume").then().statusCode(200);

        ops.get("/api/incidents/" + key + "/audit").then().statusCode(200)
                .body("action", hasItems("incident.declare", "update.draft", "update.publish", "incident.pause",
                        "incident.resume"))
                .body("find { it.action == 'incident.pause' }.actor", is("key:" + keyName))
                .body("find { it.action == 'incident.resume' }.actor", is("key:bootstrap-admin"))
                .body("find { it.action == 'incident.declare' }.at", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void unauthenticatedWritesAre401AndWrongRolesAre403() {
        String body = Api.declaration("Nope", "minor", "component:search");
        asAnonymous().body(body).post("/api/incidents").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        io.restassured.RestAssured.given().header("Authorization", "Bearer not-a-key").contentType("application/json")
                .body(body).post("/api/incidents").then().statusCode(401).contentType("application/problem+json");
        Api.as("integration").body(body).post("/api/incidents").then().statusCode(403)
                .contentType("application/problem+json");
        Api.as("ops").get("/api/keys").then().statusCode(403);
        asAnonymous().post("/api/messaging/pause").then().statusCode(401);
    }

    @Test
    void aRevokedKeyNoLongerAuthenticatesAndKeyManagementIsAudited() {
        String name = "temp-" + UUID.randomUUID();
        String secret = asAdmin().body("{\"name\": \"" + name + "\", \"role\": \"ops\"}").post("/api/keys")
                .then().statusCode(201).extract().path("key");
        asAdmin().get("/api/keys").then().body("name", hasItem(name)).body("toString()",
                org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(secret)));
        asAdmin().delete("/api/keys/" + name).then().statusCode(204);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + secret).get("/api/messaging")
                .then().statusCode(401);
        String stored = QuarkusTransaction.requiringNew().call(() -> (String) io.incidentcomms.access.ApiKey
                .getEntityManager().createNativeQuery("select key_hash from api_key where name = ?1")
                .setParameter(1, name).getSingleResult());
        assertTrue(!stored.contains(secret) && stored.length() == 64, "only a hash is stored");
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstResponseAndRejectsADifferentBody() {
        RequestSpecification ops = Api.as("ops");
        String idempotencyKey = UUID.randomUUID().toString();
        String body = Api.declaration("Idempotent " + UUID.randomUUID(), "major", "component:cart");
        String first = ops.header("Idempotency-Key", idempotencyKey).body(body).post("/api/incidents")
                .then().statusCode(201).extract().path("key");
        String second = ops.header("Idempotency-Key", idempotencyKey).body(body).post("/api/incidents")
                .then().statusCode(201).header("Idempotent-Replayed", "true").extract().path("key");
        assertEquals(first, second);
        List<Object> same = asAnonymous().queryParam("scope", "component:cart").queryParam("size", 200)
                .get("/api/incidents").then().extract().path("items.findAll { it.key == '" + first + "' }");
        assertEquals(1, same.size());

        ops.header("Idempotency-Key", idempotencyKey)
                .body(Api.declaration("Something else", "major", "component:cart")).post("/api/incidents")
                .then().statusCode(422).contentType("application/problem+json");
    }

    private List<Long> drainReleased() {
        return QuarkusTransaction.requiringNew().call(() -> intents.claimReleasedUpdateIds(10_000));
    }
}
