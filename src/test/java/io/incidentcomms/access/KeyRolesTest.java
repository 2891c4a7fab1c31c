package io.incidentcomms.access;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Each key can do its job and nothing else; a revoked bootstrap key stays revoked. */
@QuarkusTest
class KeyRolesTest {

    @Inject
    ApiKeyService keys;
    @Inject
    EntityManager em;

    final String ref = "roles-" + UUID.randomUUID();

    void subscriber() {
        asAdmin().body("{\"externalRef\": \"" + ref + "\", \"email\": \"roles@example.com\"}").post("/api/subscribers").then()
                .statusCode(201);
    }

    @Test
    void aBounceKeyReportsBouncesAndCanNeitherReadNorEraseSubscribers() {
        subscriber();
        var bounces = Api.as("bounces");
        bounces.body("{\"notificationId\": 999999999, \"kind\": \"hard\"}").post("/api/bounces").then()
                .statusCode(org.hamcrest.Matchers.not(403));
        bounces.get("/api/subscribers/export").then().statusCode(403);
        bounces.get("/api/subscribers").then().statusCode(403);
        bounces.get("/api/subscribers/" + ref).then().statusCode(403);
        bounces.delete("/api/subscribers/" + ref).then().statusCode(403);
        bounces.body("{}").post("/api/events").then().statusCode(403);
        asAdmin().get("/api/subscribers/" + ref).then().statusCode(200);
    }

    @Test
    void aSubscriberSyncKeyManagesSubscribersOneByOneButExportsNoOne() {
        var sync = Api.as("subscriber-sync");
        sync.body("{\"externalRef\": \"" + ref + "\", \"email\": \"sync@example.com\"}").post("/api/subscribers").then()
                .statusCode(201);
        sync.contentType("application/x-ndjson").body("{\"externalRef\": \"" + ref + "-2\"}\n").post("/api/subscribers/import")
                .then().statusCode(200);
        sync.get("/api/subscribers/" + ref).then().statusCode(200);
        sync.get("/api/subscribers/export").then().statusCode(403);
        sync.get("/api/subscribers").then().statusCode(403);
        sync.body("{\"title\": \"x\"}").post("/api/incidents").then().statusCode(403);
        sync.delete("/api/subscribers/" + ref).then().statusCode(204);
    }

    @Test
    void anIntegrationKeyOfTheOldKindPostsEventsAndBouncesOnly() {
        subscriber();
        var integration = Api.as("integration");
        integration.get("/api/subscribers/" + ref).then().statusCode(403);
        integration.delete("/api/subscribers/" + ref).then().statusCode(403);
        integration.get("/api/subscribers/export").then().statusCode(403);
        integration.body("{}").post("/api/events").then().statusCode(org.hamcrest.Matchers.not(403));
    }

    @Test
    void theBootstrapAdminKeyStaysRevokedAcrossRestartsWhileTheSameSecretIsSet() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update api_key set revoked_at = now() where name = 'bootstrap-admin'").executeUpdate());
        try {
            keys.bootstrap(new StartupEvent());
            assertTrue(keys.authenticate(Api.ADMIN_KEY).isEmpty(), "the revoked key does not come back");
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "update api_key set revoked_at = null where name = 'bootstrap-admin'").executeUpdate());
        }
        assertEquals(Role.ADMIN, keys.authenticate(Api.ADMIN_KEY).orElseThrow().role());
    }
}
