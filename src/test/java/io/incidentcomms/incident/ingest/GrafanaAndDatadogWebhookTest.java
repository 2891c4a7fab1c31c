package io.incidentcomms.incident.ingest;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Fixtures;
import io.incidentcomms.support.Signing;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Grafana alerting and Datadog monitors open and resolve incidents as Alertmanager does, from the
 * payloads their documentation shows: one incident per alert, a redelivered notification changes
 * nothing, and each is authenticated the way that tool can (Grafana's HMAC signature, or a token).
 */
@QuarkusTest
class GrafanaAndDatadogWebhookTest {

    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    static long now() {
        return TestClockProducer.testClock().instant().getEpochSecond();
    }

    /** As Grafana 12 signs with a secret and a timestamp header: HMAC-SHA256 of "timestamp:body", hex. */
    ValidatableResponse postGrafana(String body, String secret, long timestamp) {
        return given().contentType("application/json")
                .header("X-Grafana-Alerting-Timestamp", String.valueOf(timestamp))
                .header("X-Grafana-Alerting-Signature", Signing.hmacHex(secret, timestamp + ":" + body))
                .body(body).post("/api/hooks/grafana").then();
    }

    ValidatableResponse postDatadog(String body, String token) {
        return given().contentType("application/json").header("Authorization", "Bearer " + token).body(body)
                .post("/api/hooks/datadog").then();
    }

    @Test
    void grafanaFiringThenResolvedOpensAndResolvesOneIncidentAndRedeliveriesChangeNothing() {
        String firing = Fixtures.read("grafana/firing.json", Map.of("fingerprint", run));
        String resolved = Fixtures.read("grafana/resolved.json", Map.of("fingerprint", run));

        String key = postGrafana(firing, "grafana-secret", now()).statusCode(200)
                .body("results[0].outcome", is("DECLARED")).extract().path("results[0].incidentKey");
        asAdmin().get("/api/incidents/" + key).then().body("title", is("This alert was triggered for zone us-1"))
                .body("scopes", containsInAnyOrder("region:us-1")).body("state", is("investigating"));
        postGrafana(firing, "grafana-secret", now() + 30).statusCode(200).body("results[0].outcome", is("DUPLICATE"));

        postGrafana(resolved, "grafana-secret", now()).statusCode(200).body("results[0].outcome", is("RESOLVED"))
                .body("results[0].incidentKey", is(key));
        postGrafana(resolved, "grafana-secret", now()).statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("resolved")).body("timeline", hasSize(2));
    }

    @Test
    void grafanaWithAForgedOrStaleSignatureIsRefusedAndWithoutASecretItsTokenIsChecked() {
        String firing = Fixtures.read("grafana/firing.json", Map.of("fingerprint", run));
        postGrafana(firing, "not-the-secret", now()).statusCode(401);
        postGrafana(firing, "grafana-secret", now() - 3600).statusCode(401);
        given().contentType("application/json").header("X-Grafana-Alerting-Timestamp", String.valueOf(now()))
                .header("X-Grafana-Alerting-Signature", Signing.hmacHex("grafana-secret", firing)) // body alone: not what was agreed
                .body(firing).post("/api/hooks/grafana").then().statusCode(401);

        given().contentType("application/json").header("Authorization", "Bearer wrong").body(firing)
                .post("/api/hooks/grafana-token").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer grafana-token").body(firing)
                .post("/api/hooks/grafana-token").then().statusCode(200).body("results[0].outcome", is("DECLARED"));
    }

    @Test
    void datadogTriggeredThenRecoveredOpensAndResolvesOneIncidentAndRedeliveriesChangeNothing() {
        String triggered = Fixtures.read("datadog/triggered.json", Map.of("alert_id", run));
        String recovered = Fixtures.read("datadog/recovered.json", Map.of("alert_id", run));

        String key = postDatadog(triggered, "datadog-token").statusCode(200).body("results[0].outcome", is("DECLARED"))
                .extract().path("results[0].incidentKey");
        asAdmin().get("/api/incidents/" + key).then().body("severity", is("critical"))
                .body("title", is("Checkout p99 latency above 1.5s"))
                .body("scopes", containsInAnyOrder("component:checkout", "region:eu-west-1"));
        postDatadog(triggered, "datadog-token").statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        postDatadog(triggered.replace("\"Triggered\"", "\"Renotify\""), "datadog-token").statusCode(200)
                .body("results[0].outcome", is("IGNORED"));

        postDatadog(recovered, "datadog-token").statusCode(200).body("results[0].outcome", is("RESOLVED"))
                .body("results[0].incidentKey", is(key));
        postDatadog(recovered, "datadog-token").statusCode(200).body("results[0].outcome", is("DUPLICATE"));
        asAdmin().get("/api/incidents/" + key).then().body("state", is("resolved")).body("timeline", hasSize(2));
    }

    @Test
    void datadogWithoutItsTokenOrWithoutTheTemplatesFieldsIsRefused() {
        String triggered = Fixtures.read("datadog/triggered.json", Map.of("alert_id", run));
        postDatadog(triggered, "wrong-token").statusCode(401);
        given().contentType("application/json").body(triggered).post("/api/hooks/datadog").then().statusCode(401);
        // Datadog's default payload, which names no alert or transition
        postDatadog("""
                {"body": "Checkout slow", "last_updated": "1767261600000", "event_type": "query_alert_monitor",
                 "title": "[Triggered] Checkout slow", "date": "1767261600000", "org": {"id": "1", "name": "Shop"},
                 "id": "812345"}""", "datadog-token").statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("payload template"));
    }
}
