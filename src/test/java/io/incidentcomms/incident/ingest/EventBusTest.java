package io.incidentcomms.incident.ingest;

import static io.incidentcomms.support.Api.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.Rabbit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventBusTest {

    @Inject
    EntityManager em;

    static String busEvent(String externalId) {
        return """
                {"eventId": "bus-%s", "externalId": "%s", "title": "Trains delayed", "kind": "delay",
                 "severity": "minor", "scopes": ["region:north"], "explain": {"en": "Trains run 20 minutes late."}}
                """.formatted(UUID.randomUUID(), externalId);
    }

    @Test
    @Order(1)
    void aMessagePublishedToTheBusBecomesAnIncident() {
        String externalId = "RAIL-" + UUID.randomUUID();
        Rabbit.publish("disruption-events", "rail.delay", "application/json", busEvent(externalId));

        await().atMost(Duration.ofSeconds(20)).until(() -> incidentKey(externalId) != null);
        asAdmin().get("/api/incidents/" + incidentKey(externalId)).then().statusCode(200)
                .body("source", org.hamcrest.Matchers.is("bus"))
                .body("scopes[0]", org.hamcrest.Matchers.is("region:north"));
    }

    @Test
    @Order(2)
    void aMalformedMessageLandsInTheDeadLetterQueueAndTheNextGoodOneIsStillProcessed() {
        Rabbit.drain("disruption-events.dlq", Duration.ofMillis(200));
        String externalId = "RAIL-" + UUID.randomUUID();
        Rabbit.publish("disruption-events", "rail.delay", "application/json", "{this is not json");
        Rabbit.publish("disruption-events", "rail.delay", "application/json",
                "{\"eventId\": \"bus-x-" + UUID.randomUUID() + "\", \"externalId\": \"no-title\"}");
        Rabbit.publish("disruption-events", "rail.delay", "application/json", busEvent(externalId));

        await().atMost(Duration.ofSeconds(20)).until(() -> incidentKey(externalId) != null);
        List<String> deadLetters = Rabbit.drain("disruption-events.dlq", Duration.ofSeconds(2));
        assertEquals(2, deadLetters.size(), "both unusable messages are dead-lettered: " + deadLetters);
        assertTrue(deadLetters.get(0).contains("this is not json"));
    }

    @Test
    @Order(3)
    void everyIncidentChangeAppearsOnIncidentEvents() throws Exception {
        String queue = "test-incident-events-" + UUID.randomUUID();
        Rabbit.declareQueue(queue, "incident-events", "#");
        try {
            String key = asAdmin().body(Api.declaration("Events " + UUID.randomUUID(), "major", "component:api"))
                    .post("/api/incidents").then().statusCode(201).extract().path("key");
            asAdmin().body("{\"state\": \"identified\", \"explain\": {\"en\": \"Found it\"}}")
                    .post("/api/incidents/" + key + "/updates").then().statusCode(201);
            asAdmin().body("{\"explain\": {\"en\": \"Still fixing\"}}")
                    .post("/api/incidents/" + key + "/updates").then().statusCode(201);
            asAdmin().post("/api/incidents/" + key + "/pause").then().statusCode(200);
            asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed\"}}")
                    .post("/api/incidents/" + key + "/updates").then().statusCode(201);

            List<String> types = awaitEvents(queue, key, 6).stream().map(e -> e.path("type").asText()).toList();
            assertEquals(List.of("incident.declared", "incident.update-published", "incident.state-changed",
                    "incident.updated", "incident.paused", "incident.resolved"), types);
        } finally {
            Rabbit.deleteQueue(queue);
        }
    }

    @Test
    @Order(4)
    void changesMadeWhileRabbitMqIsDownAllAppearOnceEachWhenItIsBack() throws Exception {
        String queue = "test-incident-events-outage-" + UUID.randomUUID();
        Rabbit.declareQueue(queue, "incident-events", "#");
        String key;
        try {
            Rabbit.rabbitmqctl("stop_app");
            try {
                key = asAdmin().body(Api.declaration("Outage " + UUID.randomUUID(), "critical", "component:api"))
                        .post("/api/incidents").then().statusCode(201).extract().path("key");
                asAdmin().body("{\"state\": \"identified\", \"explain\": {\"en\": \"Found it\"}}")
                        .post("/api/incidents/" + key + "/updates").then().statusCode(201);
                asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed\"}}")
                        .post("/api/incidents/" + key + "/updates").then().statusCode(201);
                Thread.sleep(2_000);
                assertEquals(4, unpublishedEvents(key), "events wait in the outbox while the broker is down");
            } finally {
                Rabbit.rabbitmqctl("start_app");
            }

            List<JsonNode> events = awaitEvents(queue, key, 4);
            Map<String, Long> perEventId = events.stream()
                    .collect(Collectors.groupingBy(e -> e.path("eventId").asText(), Collectors.counting()));
            assertEquals(4, perEventId.size(), "every change arrives");
            assertTrue(perEventId.values().stream().allMatch(n -> n == 1), "each exactly once: " + perEventId);
            assertEquals(List.of("incident.declared", "incident.update-published", "incident.state-changed",
                    "incident.resolved"), events.stream().map(e -> e.path("type").asText()).toList());
        } finally {
            Rabbit.deleteQueue(queue);
        }
    }

    private List<JsonNode> awaitEvents(String queue, String key, int expected) {
        return Rabbit.awaitEvents(queue, event -> key.equals(event.path("incidentKey").asText()), expected);
    }

    private String incidentKey(String externalId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<?> keys = em.createNativeQuery("select incident_key from incident where external_id = ?1")
                    .setParameter(1, externalId).getResultList();
            return keys.isEmpty() ? null : (String) keys.get(0);
        });
    }

    private long unpublishedEvents(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from event_outbox where incident_key = ?1 and published_at is null")
                .setParameter(1, key).getSingleResult()).longValue());
    }
}
