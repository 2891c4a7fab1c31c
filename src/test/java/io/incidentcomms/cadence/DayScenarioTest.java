package io.incidentcomms.cadence;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.incidentcomms.delivery.QuietHours;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.support.FreshDatabase;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.SimulatedPauses;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A simulated day: 50 incidents of mixed severity over audiences of 10 to 100,000 recipients
 * (some in quiet hours, some by SMS), ops who update early, late or never, and senders that take
 * simulated time at the configured rates. Everything runs for real — REST API, planner,
 * dispatcher with its pacing, cadence — on a stopped clock that moves only when the service
 * waits for a send slot or nothing is due until the next event. It prints the share of promises
 * kept and the worst lateness. Run with {@code ./mvnw -Pscenario test} (see the README).
 */
@QuarkusTest
@TestProfile(DayScenarioTest.SimulatedDay.class)
@Tag("scenario")
class DayScenarioTest {

    static final String DATABASE = "scenario_day";
    static final double SCALE = Double.parseDouble(System.getProperty("scenario.scale", "1"));
    static final long SEED = Long.getLong("scenario.seed", 42L);
    static final String EMAIL_RATE = System.getProperty("scenario.email-rate", "500");
    static final String SMS_RATE = System.getProperty("scenario.sms-rate", "100");

    /** Its own database, senders captured in memory at the configured rates, the clock moved by waiting. */
    public static class SimulatedDay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("comms.delivery.capture", "true",
                    "comms.delivery.rate.emails-per-second", EMAIL_RATE,
                    "comms.delivery.rate.sms-segments-per-second", SMS_RATE,
                    "comms.events.relay.enabled", "false",
                    "quarkus.log.category.\"io.incidentcomms\".level", "WARN");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SimulatedPauses.class);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class, Map.of("database", DATABASE)));
        }
    }


    enum Ops {
        /** Posts news before every promise comes due. */
        EARLY,
        /** Posts nothing until it resolves: the cadence keeps every promise with holding updates. */
        SILENT,
        /** Sometimes early, sometimes not. */
        MIXED
    }

    /** One incident of the day, as the driver plays it. */
    static final class Plan {
        final int number;
        final int tier;
        final Severity severity;
        final Instant declareAt;
        final Instant resolveAt;
        final Ops ops;
        String key;
        boolean resolved;
        Instant promiseSeen;
        Instant nextOpsUpdate;

        Plan(int number, int tier, Severity severity, Instant declareAt, Instant resolveAt, Ops ops) {
            this.number = number;
            this.tier = tier;
            this.severity = severity;
            this.declareAt = declareAt;
            this.resolveAt = resolveAt;
            this.ops = ops;
        }
    }

    @Inject
    CadenceWorker cadence;
    @Inject
    DeliveryPlanner planner;
    @Inject
    Dispatcher dispatcher;

    final MutableClock clock = TestClockProducer.testClock();
    final Random random = new Random(SEED);

    static int audience(int tier) {
        return Math.max(1, (int) Math.round(Math.pow(10, tier) * SCALE));
    }

    @Test
    void aDayOfFiftyIncidentsKeepsEveryPromise() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        clock.freezeAt(start);
        Instant end = start.plus(Duration.ofDays(1));
        long began = System.nanoTime();
        importSubscribers(audience(5));
        List<Plan> plans = plans(start);

        int rounds = 0;
        long[] nanos = new long[4]; // ops, cadence, planning, dispatching
        long loopBegan = System.nanoTime();
        while (clock.instant().isBefore(end)) {
            Instant now = clock.instant();
            long t = System.nanoTime();
            playOps(plans, now);
            nanos[0] += System.nanoTime() - t;
            t = System.nanoTime();
            cadence.fireDue();
            nanos[1] += System.nanoTime() - t;
            t = System.nanoTime();
            while (planner.planBatch() > 0) {
                // plan everything released
            }
            nanos[2] += System.nanoTime() - t;
            t = System.nanoTime();
            int claimed = dispatcher.dispatchBatch();
            nanos[3] += System.nanoTime() - t;
            rounds++;
            if (claimed == 0) {
                Instant next = nextEvent(plans, now, end);
                clock.advanceTo(next.isAfter(now) ? next : now.plusSeconds(1));
            }
        }
        double loopSeconds = (System.nanoTime() - loopBegan) / 1e9;
        double realSeconds = (System.nanoTime() - began) / 1e9;
        Result result = promisesKept(end);
        System.out.printf("%nSimulated day: %d incidents, audiences %d to %d (scale %.2f), email %s/s, SMS %s segments/s%n",
                plans.size(), audience(1), audience(5), SCALE, EMAIL_RATE, SMS_RATE);
        System.out.printf("  messages sent: %d (email %d, SMS %d); holding updates: %d; ops updates: %d%n",
                count("select count(*) from notification where state in ('SENT', 'DELIVERED')"),
                count("select count(*) from notification where state in ('SENT', 'DELIVERED') and channel = 'EMAIL'"),
                count("select count(*) from notification where state in ('SENT', 'DELIVERED') and channel = 'SMS'"),
                count("select count(*) from incident_update where message_kind = 'HOLDING'"),
                count("select count(*) from incident_update where source <> 'cadence' and seq > 1"));
        System.out.printf("  promises: %d made and due within the day; kept (arrived by the promised time) %d = %.3f %%;"
                + " arrived within the promised minute %.3f %%%n", result.due, result.kept,
                100.0 * result.kept / Math.max(1, result.due), 100.0 * result.withinMinute / Math.max(1, result.due));
        System.out.printf("  worst lateness: %.1f s; promises deferred to the end of quiet hours: %d (%d of them late)%n",
                result.worstLatenessMillis / 1000.0, result.deferred, result.lateDeferred);
        System.out.printf("  run: %d rounds in %.0f s real time (the day itself %.0f s: ops %.0f, cadence %.0f, planning %.0f,"
                + " dispatching %.0f)%n%n", rounds, realSeconds, loopSeconds, nanos[0] / 1e9, nanos[1] / 1e9, nanos[2] / 1e9,
                nanos[3] / 1e9);
        assertTrue(result.due > 0, "promises were made");
    }

    void importSubscribers(int n) {
        String[] zones = { "UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo" };
        for (int from = 0; from < n; from += 10_000) {
            StringBuilder rows = new StringBuilder();
            for (int i = from; i < Math.min(n, from + 10_000); i++) {
                List<String> scopes = new ArrayList<>();
                for (int tier = 1; tier <= 5; tier++) {
                    if (i < audience(tier)) {
                        scopes.add("\"account:tier" + tier + "\"");
                    }
                }
                rows.append("{\"externalRef\": \"d").append(i).append("\", \"email\": \"d").append(i)
                        .append("@example.com\", \"timeZone\": \"").append(zones[i % zones.length]).append('"');
                if (i % 10 == 3) {
                    rows.append(", \"phone\": \"+4475").append(String.format("%08d", i))
                            .append("\", \"smsConsent\": true, \"consentSource\": \"scenario\"");
                }
                if (i % 5 == 1) {
                    rows.append(", \"quietHours\": \"22:00-07:00\"");
                }
                rows.append(", \"subscriptions\": [").append(String.join(", ", scopes)).append("]}\n");
            }
            asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import").then()
                    .statusCode(200);
        }
    }

    /** 50 incidents: audiences by tier (10 of 10, 12 each of 100, 1,000 and 10,000, 4 of 100,000 recipients). */
    List<Plan> plans(Instant start) {
        List<Integer> tiers = new ArrayList<>();
        int[] perTier = { 0, 10, 12, 12, 12, 4 };
        for (int tier = 1; tier <= 5; tier++) {
            for (int i = 0; i < perTier[tier]; i++) {
                tiers.add(tier);
            }
        }
        Collections.shuffle(tiers, random);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            int tier = tiers.get(i);
            double roll = random.nextDouble();
            // an outage that reaches everyone is rarely critical; the largest audiences are major or minor
            Severity severity = tier < 5 && roll < 0.25 ? Severity.CRITICAL : roll < 0.55 ? Severity.MAJOR : Severity.MINOR;
            Instant declareAt = start.plusSeconds((long) (random.nextDouble() * 20 * 3600));
            Instant resolveAt = declareAt.plusSeconds(3600 + (long) (random.nextDouble() * 5 * 3600));
            Ops ops = Ops.values()[random.nextInt(Ops.values().length)];
            plans.add(new Plan(i, tier, severity, declareAt, resolveAt, ops));
        }
        return plans;
    }

    /** Ops declare, update (early, sometimes, or never) and resolve, by the clock. */
    void playOps(List<Plan> plans, Instant now) throws Exception {
        for (Plan plan : plans) {
            if (plan.key == null) {
                if (!now.isBefore(plan.declareAt)) {
                    plan.key = asAdmin().body("""
                            {"title": "Incident %d", "kind": "outage", "severity": "%s", "scopes": ["account:tier%d"],
                             "explain": {"en": "Service %d is disrupted."}}"""
                            .formatted(plan.number, plan.severity.wire(), plan.tier, plan.number))
                            .post("/api/incidents").then().statusCode(201).extract().path("key");
                }
                continue;
            }
            if (plan.resolved) {
                continue;
            }
            if (!now.isBefore(plan.resolveAt)) {
                asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed.\"}}")
                        .post("/api/incidents/" + plan.key + "/updates").then().statusCode(201);
                plan.nextOpsUpdate = null;
                plan.resolved = true;
                continue;
            }
            Instant promise = promiseOf(plan.key);
            if (promise != null && !promise.equals(plan.promiseSeen)) {
                plan.promiseSeen = promise;
                boolean early = plan.ops == Ops.EARLY || (plan.ops == Ops.MIXED && random.nextBoolean());
                plan.nextOpsUpdate = early
                        ? now.plusMillis((long) (Duration.between(now, promise).toMillis() * (0.5 + 0.4 * random.nextDouble())))
                        : null;
            }
            if (plan.nextOpsUpdate != null && !now.isBefore(plan.nextOpsUpdate)) {
                plan.nextOpsUpdate = null;
                asAdmin().body("{\"explain\": {\"en\": \"We are working on service " + plan.number + ".\"}}")
                        .post("/api/incidents/" + plan.key + "/updates").then().statusCode(201);
            }
        }
    }

    /** The driver's own connection to the scenario's database, for reading what it needs to play ops. */
    Connection driver;

    Instant promiseOf(String key) throws Exception {
        if (driver == null) {
            driver = connect();
        }
        try (PreparedStatement q = driver.prepareStatement("select next_update_by from incident where incident_key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Timestamp at = rs.getTimestamp(1);
                return at == null ? null : at.toInstant();
            }
        }
    }

    /** The next moment something is due: an ops action, a deadline, a held or retried message. */
    Instant nextEvent(List<Plan> plans, Instant now, Instant end) throws Exception {
        Instant next = end;
        for (Plan plan : plans) {
            if (plan.key == null) {
                next = earlier(next, plan.declareAt);
            } else if (!plan.resolved) {
                next = earlier(next, plan.resolveAt);
                if (plan.nextOpsUpdate != null) {
                    next = earlier(next, plan.nextOpsUpdate);
                }
            }
        }
        if (driver == null) {
            driver = connect();
        }
        try (PreparedStatement q = driver.prepareStatement("""
                select least((select min(due_at) from cadence_deadline where fired_at is null and cancelled_at is null),
                             (select min(next_attempt_at) from notification where state = 'PLANNED'),
                             (select min(paused_until) from send_rate where paused_until > ?))""")) {
            q.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                Timestamp at = rs.getTimestamp(1);
                if (at != null) {
                    next = earlier(next, at.toInstant());
                }
            }
        }
        return next;
    }

    static Instant earlier(Instant a, Instant b) {
        return b != null && b.isBefore(a) ? b : a;
    }

    record Result(long due, long kept, long withinMinute, long worstLatenessMillis, long deferred, long lateDeferred) {
    }

    /**
     * Every message that made a promise due within the day, per recipient: kept when their next
     * message about the incident arrived by the promised time (for those in quiet hours, the end
     * of them, as their message said).
     */
    Result promisesKept(Instant end) throws Exception {
        long due = 0;
        long kept = 0;
        long withinMinute = 0;
        long worst = 0;
        long deferred = 0;
        long lateDeferred = 0;
        boolean pendingDeferred = false;
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement("""
                    select n.subscriber_id, n.incident_id, min(n.sent_at) as received, u.next_update_by, i.severity,
                           s.time_zone, s.quiet_start, s.quiet_end
                    from notification n join incident_update u on u.id = n.incident_update_id
                    join incident i on i.id = n.incident_id join subscriber s on s.id = n.subscriber_id
                    where n.state in ('SENT', 'DELIVERED')
                    group by n.subscriber_id, n.incident_id, n.incident_update_id, u.next_update_by, i.severity,
                             s.time_zone, s.quiet_start, s.quiet_end
                    order by n.subscriber_id, n.incident_id, received""")) {
                q.setFetchSize(10_000);
                try (ResultSet rs = q.executeQuery()) {
                    long recipient = -1;
                    long incident = -1;
                    Instant pending = null;
                    while (rs.next()) {
                        long subscriberId = rs.getLong(1);
                        long incidentId = rs.getLong(2);
                        Instant received = rs.getTimestamp(3).toInstant();
                        if (subscriberId != recipient || incidentId != incident) {
                            if (pending != null && pending.isBefore(end)) {
                                due++; // the promise's next message never came within the day
                                worst = Math.max(worst, Duration.between(pending, end).toMillis());
                            }
                            recipient = subscriberId;
                            incident = incidentId;
                            pending = null;
                        }
                        if (pending != null) {
                            due++;
                            long late = Duration.between(pending, received).toMillis();
                            if (late <= 0) {
                                kept++;
                            } else if (pendingDeferred) {
                                lateDeferred++;
                            }
                            if (late < 60_000) {
                                withinMinute++;
                            }
                            worst = Math.max(worst, late);
                        }
                        Timestamp promised = rs.getTimestamp(4);
                        if (promised == null) {
                            pending = null;
                            continue;
                        }
                        Time quietStart = rs.getTime(7);
                        Time quietEnd = rs.getTime(8);
                        LocalTime qs = quietStart == null ? null : quietStart.toLocalTime();
                        LocalTime qe = quietEnd == null ? null : quietEnd.toLocalTime();
                        pending = QuietHours.promiseFor(promised.toInstant(), Severity.valueOf(rs.getString(5)),
                                ZoneId.of(rs.getString(6)), qs, qe, Duration.ofMinutes(5));
                        pendingDeferred = !pending.equals(promised.toInstant());
                        if (pendingDeferred) {
                            deferred++;
                        }
                    }
                    if (pending != null && pending.isBefore(end)) {
                        due++;
                        worst = Math.max(worst, Duration.between(pending, end).toMillis());
                    }
                }
            }
        }
        return new Result(due, kept, withinMinute, worst, deferred, lateDeferred);
    }

    long count(String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection(FreshDatabase.url(DATABASE), "postgres", "postgres");
    }
}
