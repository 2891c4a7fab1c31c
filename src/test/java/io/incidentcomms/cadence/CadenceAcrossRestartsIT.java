package io.incidentcomms.cadence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.ServiceProcess;

/**
 * Deadlines live in the database: a service that stops after an update set its promise, and two
 * instances that come up after the promise is due, publish the holding update exactly once.
 * Separate JVMs of the packaged application; their clocks run ahead by {@code comms.time.offset}
 * instead of the test waiting half an hour. Runs after packaging ({@code ./mvnw verify}).
 */
class CadenceAcrossRestartsIT {

    static final String DATABASE = "it_cadence";
    final List<ServiceProcess> running = new ArrayList<>();

    ServiceProcess start(String name, int port, Duration clockAhead) throws Exception {
        Files.deleteIfExists(Path.of("target", "it-" + name + ".log"));
        ServiceProcess service = ServiceProcess.start(name, port, DATABASE, List.of(
                "-Dcomms.time.offset=" + clockAhead,
                "-Dcomms.cadence.interval=1s",
                "-Dcomms.delivery.dispatcher.enabled=false"));
        running.add(service);
        return service;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (ServiceProcess service : running) {
            if (service.process().isAlive()) {
                service.stop();
            }
        }
    }

    long count(String sql) throws Exception {
        return ServiceProcess.count(DATABASE, sql);
    }

    @Test
    void aPromiseSetBeforeARestartIsKeptOnceByTwoInstancesThatComeUpAfterItIsDue() throws Exception {
        ServiceProcess.freshDatabase(DATABASE);
        ServiceProcess before = start("cadence-before", 18291, Duration.ZERO);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            rows.append("{\"externalRef\": \"c").append(i).append("\", \"email\": \"c").append(i)
                    .append("@example.com\", \"subscriptions\": [\"component:checkout\"]}\n");
        }
        before.post("/api/subscribers/import", "application/x-ndjson", rows.toString());
        before.post("/api/incidents", "application/json", """
                {"title": "Checkout down", "kind": "outage", "severity": "critical", "scopes": ["component:checkout"],
                 "explain": {"en": "Card payments fail."}}""");
        assertEquals(1, count("select count(*) from cadence_deadline where kind = 'HOLDING' and fired_at is null"));
        before.process().destroyForcibly(); // the service goes away with its promise still pending
        before.process().waitFor();

        // 40 minutes on, the promise (30 minutes, rounded up to 5) is due; two instances come up
        ServiceProcess one = start("cadence-one", 18292, Duration.ofMinutes(40));
        ServiceProcess two = start("cadence-two", 18293, Duration.ofMinutes(40));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count("select count(*) from incident_update where message_kind = 'HOLDING'") == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(5_000); // both instances keep firing every second meanwhile

        assertEquals(1, count("select count(*) from incident_update where message_kind = 'HOLDING'"),
                "one holding update");
        assertEquals(20, count("""
                select count(*) from notification n join incident_update u on u.id = n.incident_update_id
                where u.message_kind = 'HOLDING'"""), "planned once for each of the 20 recipients");
        assertEquals(1, count("select count(*) from event_outbox where event_type = 'incident.nudge'"),
                "the nudge that came due during the restart fired once too");
        assertEquals(1, count("""
                select count(*) from cadence_deadline where kind = 'HOLDING' and fired_at is null and cancelled_at is null"""),
                "and the next promise is set");
        System.out.printf("holding update published once by %s and %s together%n", one.name(), two.name());
    }
}
