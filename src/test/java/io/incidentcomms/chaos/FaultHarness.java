package io.incidentcomms.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.incidentcomms.support.FaultySmtpServer;
import io.incidentcomms.support.Rabbit;
import io.incidentcomms.support.ServiceProcess;
import io.incidentcomms.support.TestServices;
import io.incidentcomms.support.TwilioStub;

/**
 * The fault harness: two packaged service processes on one PostgreSQL database and the local
 * RabbitMQ, an SMTP server and a Twilio stub of its own, and a fan-out in progress while each fault
 * is played: a replica SIGKILLed, both restarted in turn with SIGTERM, PostgreSQL restarted,
 * RabbitMQ restarted, the SMTP server down for 30 s, Twilio failing a third of its requests and
 * hanging on some, one replica's clock 30 s ahead. For each it counts, by notification id at the
 * providers, what was planned, delivered exactly once, lost and sent twice (a duplicate is explained
 * only when the delivery log shows that notification as uncertain), those still waiting for a retry
 * after ten minutes, those given up as failed (none
 * may be: every fault here is one a provider or a replica recovers from), the incident events on
 * {@code incident-events} against the outbox, overdue promises, and the time to recover.
 * Run with {@code bash src/chaos/fault-harness.sh [subscribers]}; needs root for the restarts.
 */
public final class FaultHarness {

    static final String DATABASE = "chaos";
    static final int SMTP_PORT = 3725;
    static final int TWILIO_PORT = 18297;
    static final int[] PORTS = {18291, 18292};
    static final String EVENTS_QUEUE = "chaos-incident-events";
    static final Set<String> FINAL = Set.of("SENT", "DELIVERED", "FAILED", "SUPPRESSED", "SUPERSEDED");

    final int subscribers;
    final ServiceProcess[] replicas = new ServiceProcess[2];
    final Map<Long, Integer> emailsBefore = new HashMap<>();
    FaultySmtpServer smtp;
    TwilioStub twilio;
    int imports;
    /** A replica coming back after its fault, joined before the tally. */
    Thread restarting;

    record Result(String scenario, long planned, long once, long lost, long twice, long twiceUncertain, long failed,
            long pending, long events, long eventsExpected, long overduePromises, double recoverSeconds, double everyoneSeconds,
            double seconds) {

        boolean holds() {
            return lost == 0 && failed == 0 && pending == 0 && twice == twiceUncertain && events >= eventsExpected && overduePromises == 0;
        }

        String line() {
            return String.format("%-20s planned %5d  once %5d  lost %d  twice %d (uncertain %d)  failed %d  pending %d  events %d/%d"
                    + "  overdue promises %d  next send %4.1f s, everyone %5.1f s after the fault  (%.0f s)  %s", scenario,
                    planned, once, lost, twice, twiceUncertain, failed, pending, events, eventsExpected, overduePromises,
                    recoverSeconds, everyoneSeconds, seconds, holds() ? "ok" : "BROKEN");
        }
    }

    /** What a scenario does once its fan-out is under way; answers when the fault ended (System.nanoTime()). */
    interface Fault {
        long play(FaultHarness harness) throws Exception;
    }

    FaultHarness(int subscribers) {
        this.subscribers = subscribers;
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        FaultHarness harness = new FaultHarness(subscribers);
        List<Result> results = new ArrayList<>();
        try {
            harness.start();
            Map<String, Fault> scenarios = new java.util.LinkedHashMap<>();
            scenarios.put("sigkill-replica", FaultHarness::killOne);
            scenarios.put("rolling-sigterm", FaultHarness::rollingRestart);
            scenarios.put("postgres-restart", FaultHarness::restartPostgres);
            scenarios.put("rabbitmq-restart", FaultHarness::restartRabbit);
            scenarios.put("smtp-down-30s", FaultHarness::smtpDown);
            scenarios.put("twilio-5xx-429-hang", FaultHarness::twilioFaults);
            scenarios.put("clock-30s-ahead", FaultHarness::clockAhead);
            for (Map.Entry<String, Fault> scenario : scenarios.entrySet()) {
                Result result = harness.play(scenario.getKey(), scenario.getValue());
                System.out.println(result.line());
                results.add(result);
            }
        } finally {
            harness.stop();
        }
        long broken = results.stream().filter(r -> !r.holds()).count();
        String summary = String.format("Fault harness %s: %d scenarios, %d notifications, %d lost, %d sent twice (%d of them"
                + " uncertain in the delivery log), %s", LocalDate.now(), results.size(),
                results.stream().mapToLong(Result::planned).sum(), results.stream().mapToLong(Result::lost).sum(),
                results.stream().mapToLong(Result::twice).sum(), results.stream().mapToLong(Result::twiceUncertain).sum(),
                broken == 0 ? "every guarantee held" : broken + " scenarios BROKEN");
        System.out.println(summary);
        System.exit(broken == 0 ? 0 : 1);
    }

    void start() throws Exception {
        ServiceProcess.freshDatabase(DATABASE);
        smtp = new FaultySmtpServer(SMTP_PORT, FaultySmtpServer.Faults.none());
        twilio = new TwilioStub(TWILIO_PORT);
        Rabbit.declareQueue(EVENTS_QUEUE, "incident-events", "#");
        Rabbit.drain(EVENTS_QUEUE, Duration.ofMillis(200));
        for (int i = 0; i < 2; i++) {
            replicas[i] = replica(i, List.of());
        }
    }

    void stop() throws Exception {
        ServiceProcess.stopAll(replicas);
        if (smtp != null) {
            smtp.close();
        }
        if (twilio != null) {
            twilio.close();
        }
        Rabbit.deleteQueue(EVENTS_QUEUE);
    }

    ServiceProcess replica(int i, List<String> extra) throws Exception {
        List<String> properties = new ArrayList<>(ServiceProcess.localProviders(SMTP_PORT, TWILIO_PORT));
        properties.addAll(List.of(
                "-Dcomms.events.relay.enabled=true",
                "-Dcomms.delivery.rate.emails-per-second=150",
                "-Dcomms.delivery.rate.sms-segments-per-second=300",
                // leases (60 s) and retries (30 s, doubling) as in production: a provider down for 30 s must
                // fail nothing, a replica 30 s ahead must take over nothing; uncertain SMS are looked up after 2 s
                "-Dcomms.delivery.dispatcher.reconcile-after=2s",
                "-Dquarkus.log.category.\"io.incidentcomms.delivery\".level=WARN"));
        properties.addAll(extra);
        return ServiceProcess.start("chaos-" + i, PORTS[i], DATABASE, properties);
    }

    Result play(String name, Fault fault) throws Exception {
        long started = System.nanoTime();
        String run = name.replaceAll("[^a-z0-9]", "") + UUID.randomUUID().toString().substring(0, 4);
        String scope = "component:" + run;
        importSubscribers(run, scope);
        String key = declare(run, scope);
        long planned = awaitPlanned(key);
        awaitSentAtLeast(key, planned / 4, Duration.ofMinutes(3));
        long faultEnded = fault.play(this);
        double recover = awaitNextSend(key, faultEnded);
        if (restarting != null) {
            restarting.join();
            restarting = null;
        }
        // production retries wait 30 s, 1, 2 and 4 min: a message unlucky with the fault may need all of them
        awaitFinal(key, Duration.ofMinutes(10));
        double everyone = (System.nanoTime() - faultEnded) / 1e9;
        Thread.sleep(3_000); // the relay's last events
        return tally(name, key, planned, recover, everyone, (System.nanoTime() - started) / 1e9);
    }

    // --- the faults -------------------------------------------------------------------------

    /** The killed replica comes back while the other one carries on; recovery is the other one's next send. */
    static long killOne(FaultHarness h) throws Exception {
        h.replicas[0].process().destroyForcibly(); // SIGKILL: sends in flight are cut off, claims stay leased
        h.replicas[0].process().waitFor();
        long killed = System.nanoTime();
        h.restarting = new Thread(() -> {
            try {
                h.replicas[0] = h.replica(0, List.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        h.restarting.start();
        return killed;
    }

    static long rollingRestart(FaultHarness h) throws Exception {
        for (int i = 0; i < 2; i++) {
            h.replicas[i].stop(); // SIGTERM: claims not yet sent are handed back
            h.replicas[i] = h.replica(i, List.of());
        }
        return System.nanoTime();
    }

    static long restartPostgres(FaultHarness h) throws Exception {
        String version = Files.list(Path.of("/etc/postgresql")).findFirst().orElseThrow().getFileName().toString();
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
        return System.nanoTime();
    }

    static long restartRabbit(FaultHarness h) throws Exception {
        run("rabbitmqctl", "stop_app");
        Thread.sleep(10_000);
        run("rabbitmqctl", "start_app");
        run("rabbitmqctl", "await_startup");
        return System.nanoTime();
    }

    static long smtpDown(FaultHarness h) throws Exception {
        h.smtp.close();
        // counted after closing: a message answered 250 while it closed counts too
        h.smtp.deliveries().forEach((id, n) -> h.emailsBefore.merge(id, n, Integer::sum));
        Thread.sleep(30_000);
        h.smtp = new FaultySmtpServer(SMTP_PORT, FaultySmtpServer.Faults.none());
        return System.nanoTime();
    }

    static long twilioFaults(FaultHarness h) throws Exception {
        h.twilio.faults(new TwilioStub.FaultMix(0.20, 0.10, 0.03, 5_000, new Random(20261206)));
        Thread.sleep(20_000);
        h.twilio.faults(null);
        return System.nanoTime();
    }

    static long clockAhead(FaultHarness h) throws Exception {
        h.replicas[1].stop();
        h.replicas[1] = h.replica(1, List.of("-Dcomms.time.offset=30s"));
        Thread.sleep(15_000);
        h.replicas[1].stop();
        h.replicas[1] = h.replica(1, List.of());
        return System.nanoTime();
    }

    // --- the fan-out and its tally ----------------------------------------------------------

    void importSubscribers(String run, String scope) throws Exception {
        imports++;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < subscribers; i++) {
            rows.append("{\"externalRef\": \"").append(run).append('-').append(i).append("\", \"email\": \"p").append(i)
                    .append('.').append(run).append("@example.com\", \"phone\": \"+4474").append(String.format("%02d%06d", imports, i))
                    .append("\", \"smsConsent\": true, \"consentSource\": \"chaos\", \"subscriptions\": [\"").append(scope)
                    .append("\"]}\n");
        }
        any().post("/api/subscribers/import", "application/x-ndjson", rows.toString());
    }

    String declare(String run, String scope) throws Exception {
        String body = any().post("/api/incidents", "application/json", """
                {"title": "Chaos %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Payments are down. We are switching to the standby provider."}}""".formatted(run, scope));
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!key.find()) {
            throw new IllegalStateException("no key in " + body);
        }
        return key.group(1);
    }

    ServiceProcess any() {
        return replicas[0] != null && replicas[0].process().isAlive() ? replicas[0] : replicas[1];
    }

    long awaitPlanned(String key) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            long planned = count("select count(*) from notification n join incident i on i.id = n.incident_id"
                    + " where i.incident_key = '" + key + "' and n.fallback_of is null");
            if (planned >= 2L * subscribers) {
                return planned;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(key + " was not planned in time");
    }

    void awaitSentAtLeast(String key, long atLeast, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (inStates(key, "'SENT', 'DELIVERED'") < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(key + ": not " + atLeast + " sent in " + within);
            }
            Thread.sleep(100);
        }
    }

    /** Seconds from the fault's end to the next message a provider took. */
    double awaitNextSend(String key, long faultEnded) throws Exception {
        long before = inStates(key, "'SENT', 'DELIVERED'");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long now = inStates(key, "'SENT', 'DELIVERED'");
            if (now > before || inStates(key, "'PLANNED', 'SENDING', 'UNCERTAIN'") == 0) {
                return (System.nanoTime() - faultEnded) / 1e9;
            }
            Thread.sleep(50);
        }
        return Double.NaN;
    }

    void awaitFinal(String key, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (inStates(key, "'PLANNED', 'SENDING', 'UNCERTAIN'") > 0) {
            if (System.nanoTime() > deadline) {
                System.out.println("  " + key + ": still open after " + within + ": "
                        + inStates(key, "'PLANNED', 'SENDING', 'UNCERTAIN'"));
                return;
            }
            Thread.sleep(250);
        }
    }

    Result tally(String name, String key, long planned, double recover, double everyone, double seconds) throws Exception {
        Map<Long, Integer> received = new HashMap<>(emailsBefore);
        emailsBefore.clear();
        smtp.deliveries().forEach((id, n) -> received.merge(id, n, Integer::sum));
        twilio.createdPerNotification().forEach((id, n) -> received.merge(id, n, Integer::sum));
        List<long[]> rows = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(TestServices.postgresUrl(DATABASE), "postgres", "postgres");
                var s = c.createStatement();
                var rs = s.executeQuery("select n.id, case when n.state in ('FAILED', 'SUPPRESSED', 'SUPERSEDED') then 1"
                        + " when n.state in ('PLANNED', 'SENDING', 'UNCERTAIN') then 2 else 0 end, n.uncertain_attempts > 0"
                        + " from notification n join incident i on i.id = n.incident_id where i.incident_key = '" + key + "'")) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getInt(2), rs.getBoolean(3) ? 1 : 0});
            }
        }
        long once = 0, lost = 0, twice = 0, twiceUncertain = 0, failed = 0, pending = 0;
        for (long[] row : rows) {
            int times = received.getOrDefault(row[0], 0);
            if (times == 1) {
                once++;
            } else if (times > 1) {
                twice++;
                twiceUncertain += row[2];
            } else if (row[1] == 1) {
                failed++;
            } else if (row[1] == 2) {
                pending++; // still waiting for a retry: not lost, but not there yet either
            } else {
                lost++;
            }
        }
        long expectedEvents = count("select count(*) from event_outbox where incident_key = '" + key + "'");
        Pattern eventId = Pattern.compile("\"eventId\"\\s*:\\s*\"([^\"]+)\"");
        long events = Rabbit.drain(EVENTS_QUEUE, Duration.ofSeconds(2)).stream().filter(body -> body.contains(key))
                .map(eventId::matcher).filter(Matcher::find).map(m -> m.group(1)).distinct().count();
        long overdue = count("select count(*) from cadence_deadline where kind = 'HOLDING' and fired_at is null"
                + " and cancelled_at is null and due_at < now() - interval '2 minutes'");
        return new Result(name, planned, once, lost, twice, twiceUncertain, failed, pending, events, expectedEvents, overdue, recover,
                everyone, seconds);
    }

    long inStates(String key, String states) throws Exception {
        return count("select count(*) from notification n join incident i on i.id = n.incident_id where i.incident_key = '"
                + key + "' and n.state in (" + states + ")");
    }

    static long count(String sql) throws Exception {
        for (int attempt = 0;; attempt++) {
            try {
                return ServiceProcess.count(DATABASE, sql);
            } catch (java.sql.SQLException e) {
                if (attempt > 60) {
                    throw e;
                }
                Thread.sleep(500); // PostgreSQL restarting
            }
        }
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
