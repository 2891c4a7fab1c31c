package io.incidentcomms.statuspage;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.ComponentStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A component's status follows the open incidents touching it, unless an update sets it; every change is kept. */
@QuarkusTest
class ComponentStatusTest {

    @Inject
    ComponentStatuses statuses;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:status-" + run;

    @Test
    void aComponentFollowsItsIncidentsSeverityAnUpdatesExplicitStatusAndTheResolution() {
        asAdmin().body("{\"names\": {\"en\": \"Checkout\"}}").put("/api/components/" + scope).then().statusCode(200);
        assertEquals(ComponentStatus.OPERATIONAL, statuses.current().get(scope));

        String key = asAdmin().body("""
                {"title": "Checkout down %s", "kind": "outage", "severity": "critical", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail."}}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        assertEquals(ComponentStatus.MAJOR_OUTAGE, statuses.current().get(scope));

        asAdmin().body("{\"explain\": {\"en\": \"Most payments work again.\"}, \"componentStatuses\": {\"" + scope
                + "\": \"degraded_performance\"}}").post("/api/incidents/" + key + "/updates").then().statusCode(201);
        assertEquals(ComponentStatus.DEGRADED_PERFORMANCE, statuses.current().get(scope));

        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        assertEquals(ComponentStatus.OPERATIONAL, statuses.current().get(scope));

        List<ComponentStatuses.Change> history = statuses.history(Instant.EPOCH).get(scope);
        assertEquals(List.of(ComponentStatus.OPERATIONAL, ComponentStatus.MAJOR_OUTAGE,
                ComponentStatus.DEGRADED_PERFORMANCE, ComponentStatus.OPERATIONAL),
                history.stream().map(ComponentStatuses.Change::status).toList());
    }

    @Test
    void anUnknownComponentStatusIsRefusedNamingTheField() {
        asAdmin().body("""
                {"title": "x", "kind": "outage", "severity": "minor", "scopes": ["%s"], "explain": {"en": "x"},
                 "componentStatuses": {"%s": "on_fire"}}""".formatted(scope, scope))
                .post("/api/incidents").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.startsWith("componentStatuses"));
    }
}
