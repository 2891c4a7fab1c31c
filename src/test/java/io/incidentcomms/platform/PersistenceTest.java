package io.incidentcomms.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.Incident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@QuarkusTest
class PersistenceTest {

    @Inject
    EntityManager em;

    @Test
    void anEntityWrittenThroughPanacheIsReadBackFromPostgresql() {
        Instant started = Instant.parse("2026-03-01T10:15:30.123456Z");
        String key = persistIncident(started, List.of("component:checkout", "region:eu-west"));

        Incident read = QuarkusTransaction.requiringNew().call(() -> Incident.findByKey(key).orElseThrow());

        assertEquals("Persistence check", read.title);
        assertEquals(List.of("component:checkout", "region:eu-west"), read.scopes);
        assertEquals(started, read.startedAt);
        String server = QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("select version()").getSingleResult());
        assertTrue(server.startsWith("PostgreSQL"), server);
    }

    @Test
    void timestampsWrittenByTheApplicationAreTheSameInstantInUtcInTheDatabase() {
        String key = persistIncident(Instant.parse("2026-07-01T23:30:00Z"), List.of());

        String utc = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') from incident where incident_key = ?1")
                .setParameter(1, key).getSingleResult());

        assertEquals("2026-07-01 23:30", utc);
    }

    private static String persistIncident(Instant started, List<String> scopes) {
        String key = "TEST-" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.requiringNew().run(() -> {
            Incident incident = new Incident();
            incident.key = key;
            incident.title = "Persistence check";
            incident.kind = IncidentKind.OUTAGE;
            incident.severity = Severity.MINOR;
            incident.state = IncidentState.INVESTIGATING;
            incident.scopes = scopes;
            incident.startedAt = started;
            incident.source = "test";
            incident.createdAt = started;
            incident.updatedAt = started;
            incident.persist();
        });
        return key;
    }
}
