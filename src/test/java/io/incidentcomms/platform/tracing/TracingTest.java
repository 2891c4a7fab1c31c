package io.incidentcomms.platform.tracing;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.incidentcomms.support.Api;
import io.incidentcomms.support.Dispatching;
import io.incidentcomms.support.OtlpCollectorStub.ReceivedSpan;
import io.incidentcomms.support.OtlpCollectorStub;
import io.incidentcomms.support.TwilioStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * With a collector configured, an update is one trace from the request that published it, through
 * its planning, to every provider send it led to, even though planning and sending happen later on
 * worker threads; and no span carries an address.
 */
@QuarkusTest
@TestProfile(TracingTest.WithCollector.class)
class TracingTest {

    static OtlpCollectorStub collector;
    /**
     * An SMTP server of this profile's own: the run's shared one belongs to the class loader of the
     * tests before the restart this profile causes ({@code DeliveringTest} cannot be used here).
     */
    static GreenMail smtp;
    static TwilioStub twilio;

    @Inject
    DeliveryPlanner planner;
    @Inject
    Dispatcher dispatcher;
    @Inject
    EntityManager em;

    @BeforeAll
    static void startTwilioStub() throws Exception {
        twilio = new TwilioStub(18099);
    }

    @AfterAll
    static void stopTwilioStub() {
        twilio.close();
    }

    public static class WithCollector implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Collector.class));
        }
    }

    public static class Collector implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                collector = new OtlpCollectorStub();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            smtp = new GreenMail(ServerSetup.SMTP.dynamicPort());
            smtp.start();
            return Map.of("comms.tracing.endpoint", collector.endpoint(),
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "100ms",
                    "quarkus.mailer.port", String.valueOf(smtp.getSmtp().getPort()));
        }

        @Override
        public void stop() {
            collector.close();
            smtp.stop();
        }
    }

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:traced-" + run;
    final String email = "traced-" + run + "@example.com";
    final String phone = "+4474008" + String.format("%05d", Math.abs(run.hashCode()) % 100000);

    @Test
    void anUpdateIsOneTraceFromTheRequestThroughPlanningToEachProviderSend() throws InterruptedException {
        asAdmin().body("""
                {"externalRef": "traced-%s", "email": "%s", "phone": "%s", "smsConsent": true, "consentSource": "test",
                 "locale": "en", "timeZone": "Europe/London", "subscriptions": ["%s"]}""".formatted(run, email, phone, scope))
                .post("/api/subscribers").then().statusCode(201);
        String key = asAdmin().body(Api.declaration("Traced " + run, "critical", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        Dispatching.planAndDispatch(planner, dispatcher, em);
        String updateId = em.createNativeQuery("""
                select cast(u.id as text) from incident_update u join incident i on i.id = u.incident_id
                where i.incident_key = ?1""", String.class).setParameter(1, key).getSingleResult().toString();

        List<ReceivedSpan> sends = awaitSpans(
                s -> s.name().startsWith("send ") && updateId.equals(s.attributes().get("comms.update_id")), 2);
        Set<String> traceIds = sends.stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
        assertEquals(1, traceIds.size(), "both sends of the update belong to one trace: " + sends);
        String traceId = traceIds.iterator().next();
        awaitSpans(s -> s.traceId().equals(traceId) && s.name().equals("plan notifications"), 1);
        List<ReceivedSpan> trace = collector.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();

        ReceivedSpan request = trace.stream().filter(s -> s.kind().equals("SPAN_KIND_SERVER")).findFirst().orElse(null);
        assertNotNull(request, "the trace starts at the request that declared the incident: " + trace);
        assertTrue(request.name().contains("/api/incidents"), request.name());
        ReceivedSpan planning = trace.stream().filter(s -> s.name().equals("plan notifications")).findFirst().orElseThrow();
        Set<String> spanIds = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        assertTrue(spanIds.contains(planning.parentSpanId()), "planning continues a span of the request");
        assertEquals("2", planning.attributes().get("comms.notifications_planned"));
        for (ReceivedSpan send : sends) {
            assertEquals("SPAN_KIND_CLIENT", send.kind());
            assertTrue(spanIds.contains(send.parentSpanId()), "each send continues the request's trace");
            assertEquals("SENT", send.attributes().get("comms.outcome"));
        }
        assertEquals(Set.of("send email", "send sms"), sends.stream().map(ReceivedSpan::name).collect(Collectors.toSet()));
        for (ReceivedSpan span : collector.spans()) {
            assertFalse(span.attributes().values().stream().anyMatch(v -> v.contains(email) || v.contains(phone)),
                    "no span carries a recipient's address: " + span);
        }
    }

    @Test
    void aCustomersTokenInTheQueryNeverReachesTheCollector() throws InterruptedException {
        String token = "token-of-" + run;
        io.restassured.RestAssured.given().get("/self-service?token=" + token + "&lang=de");
        List<ReceivedSpan> request = awaitSpans(s -> s.kind().equals("SPAN_KIND_SERVER")
                && s.attributes().getOrDefault("url.path", "").equals("/self-service")
                && s.attributes().containsKey("url.query"), 1);
        assertEquals("token=…&lang=…", request.get(request.size() - 1).attributes().get("url.query"));
        for (ReceivedSpan span : collector.spans()) {
            assertFalse(span.attributes().values().stream().anyMatch(v -> v.contains(token)),
                    "no span carries the customer's token: " + span);
        }
    }

    /** Waits (the exporter sends in batches) until at least {@code count} spans match. */
    private static List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> wanted, int count) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(20));
        List<ReceivedSpan> found;
        do {
            found = collector.spans().stream().filter(wanted).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(giveUp));
        throw new AssertionError("expected " + count + " spans, the collector received " + collector.spans()
                + " at " + collector.paths());
    }
}
