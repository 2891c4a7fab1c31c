package io.incidentcomms.platform.tracing;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.OtlpCollectorStub;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Tracing stays off until {@code comms.tracing.endpoint} is set: even with the OpenTelemetry
 * exporter aimed at a collector, nothing reaches it and no trace is kept with an update.
 */
@QuarkusTest
@TestProfile(TracingIsOffWithoutAnEndpointTest.ExporterAimedButNoEndpoint.class)
class TracingIsOffWithoutAnEndpointTest {

    static OtlpCollectorStub collector;

    public static class ExporterAimedButNoEndpoint implements QuarkusTestProfile {
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
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint", collector.endpoint(),
                    "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "100ms");
        }

        @Override
        public void stop() {
            collector.close();
        }
    }

    @Inject
    Traces traces;
    @Inject
    EntityManager em;

    @Test
    void withoutAnEndpointNothingIsExportedAndUpdatesKeepNoTrace() throws InterruptedException {
        assertFalse(traces.on());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String key = asAdmin().body(Api.declaration("Untraced " + run, "minor", "component:untraced-" + run))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        assertNull(em.createNativeQuery("""
                select ni.trace_parent from notification_intent ni join incident i on i.id = ni.incident_id
                where i.incident_key = ?1""").setParameter(1, key).getSingleResult());

        Thread.sleep(1_000); // ten export intervals: an exporter that ran would have posted the request's span
        assertEquals(List.of(), collector.paths(), "nothing was exported");
    }
}
