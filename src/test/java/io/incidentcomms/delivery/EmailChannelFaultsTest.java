package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.FaultySmtpServer;
import io.incidentcomms.support.FaultySmtpServer.Faults;
import io.incidentcomms.support.FreshDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * The email channel against an SMTP server that misbehaves: temporary failures, connections that
 * never get a greeting, messages stalled after their data, answers slower than a batch's lease
 * allows. The dispatcher runs on its own schedule, as in production; every message must reach
 * the server exactly once, and the channel must go on at full speed once the server behaves.
 */
@QuarkusTest
@TestProfile(EmailChannelFaultsTest.MisbehavingSmtp.class)
class EmailChannelFaultsTest {

    static final int PORT = 3028;

    /** Its own database (no other test's subscribers) and SMTP server; the dispatcher on, with a short lease. */
    public static class MisbehavingSmtp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", String.valueOf(PORT),
                    "comms.delivery.dispatcher.enabled", "true",
                    "comms.delivery.dispatcher.interval", "200ms",
                    "comms.delivery.dispatcher.lease", "5s",
                    "comms.delivery.email.smtp-timeout", "1s",
                    "comms.sms.twilio.timeout", "1s",
                    "comms.events.relay.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class, Map.of("database", "email_faults")));
        }
    }

    static FaultySmtpServer server;

    @Inject
    DeliveryPlanner planner;
    @Inject
    EmailSender email;
    @Inject
    SmtpClient smtp;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startServer() {
        server = new FaultySmtpServer(PORT, Faults.none());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void behave() {
        server.behave(Faults.none());
    }

    @Test
    void temporaryFailuresSilentGreetingsAndStalledDataNeitherStallTheChannelNorSendTwice() {
        // as found: one message in five refused for now, the first ten connections never greeted
        // (the mail client's whole pool), a few messages stalled after their data for good
        server.behave(new Faults(n -> n <= 10, n -> n % 5 == 0, n -> n == 3 || n == 17 || n == 42, Duration.ZERO));
        String faulty = declareFor(150, "faulty");

        waitUntilAllSent(faulty, Duration.ofSeconds(90));

        assertExactlyOnce(faulty, 150);
        assertEquals(10, server.silentConnections(), "the first ten connections were never greeted");
        assertEquals(3, server.stalledMessages());
        assertTrue(server.temporaryFailures() >= 25, "one in five messages was refused for now");

        // the server behaves again: the channel is back at full speed, no connection left hanging
        server.behave(new Faults(n -> false, n -> n % 5 == 0, n -> false, Duration.ZERO));
        long start = System.nanoTime();
        String healthy = declareFor(100, "healthy");
        waitUntilAllSent(healthy, Duration.ofSeconds(20));
        System.out.printf("After the faults: 100 emails (one in five refused once) sent in %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertExactlyOnce(healthy, 100);
    }

    @Test
    void noSendWaitsOutItsDeadlineForAGreetingItsConnectionAlreadyHad() throws Exception {
        // a healthy server that refuses one message in five for now: each refusal closes its
        // connection, so eight threads open new ones all the time, as in a burst
        server.behave(new Faults(n -> false, n -> n % 5 == 0, n -> false, Duration.ZERO));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger waitedOut = new AtomicInteger();
        List<String> otherFailures = new CopyOnWriteArrayList<>();
        AtomicLong numbers = new AtomicLong(900_000_000L);
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int thread = 0; thread < 8; thread++) {
            senders.execute(() -> {
                while (System.nanoTime() < end) {
                    long number = numbers.incrementAndGet();
                    try {
                        smtp.send(new MailMessage().setFrom("status@example.com").setTo("r" + number + "@example.com")
                                .setSubject("Update").setText("Update").addHeader(EmailSender.NOTIFICATION_HEADER,
                                        String.valueOf(number)));
                        sent.incrementAndGet();
                    } catch (SmtpClient.DeadlineExceeded e) {
                        waitedOut.incrementAndGet();
                    } catch (RuntimeException e) {
                        if (e.getCause() instanceof SMTPException reply && reply.getReplyCode() == 451) {
                            refused.incrementAndGet();
                        } else {
                            otherFailures.add(e.toString());
                        }
                    }
                }
            });
        }
        senders.shutdown();
        assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));

        assertTrue(sent.get() > 500 && refused.get() > 100, sent + " sent, " + refused + " refused for now");
        assertEquals(0, waitedOut.get(), "sends that waited out their deadline although the server answered at once"
                + " (other failures: " + otherFailures + ")");
    }

    @Test
    void aServerThatAnswersEveryStepButSlowlyIsCutOffAtTheSendDeadline() {
        // each answer within the 1 s step timeout; the four or more a send needs take longer than its 2 s deadline
        server.behave(Faults.none().answeringEveryStepAfter(Duration.ofMillis(700)));
        long start = System.nanoTime();

        SendOutcome outcome = email.send(new EmailSender.Email(1, "slow@example.com", "Update", "<p>Update</p>", "Update",
                "n1.slow@status.example.com", "https://status.example.com/u"));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(SendOutcome.Kind.UNCERTAIN, outcome.kind(), outcome.error());
        assertTrue(outcome.error().contains("did not answer within 2 s"), outcome.error());
        assertTrue(took.compareTo(Duration.ofMillis(2700)) < 0, "cut off at the deadline, not after the session: " + took);
    }

    @Test
    void aBatchSlowerThanItsLeaseSendsEachMessageOnce() {
        // 100 messages at 500 ms each, eight at a time, take longer than the 5 s lease of one batch
        server.behave(new Faults(n -> false, n -> false, n -> false, Duration.ofMillis(500)));
        String slow = declareFor(100, "slow");

        waitUntilAllSent(slow, Duration.ofSeconds(90));

        assertExactlyOnce(slow, 100);
    }

    @Test
    void aRecipientsPolicyRefusalFailsThatMessageAloneAndNeitherHoldsTheChannelNorMarksTheAddress() {
        // 554 5.7.1 is one recipient's server refusing us, not our account being refused
        server.behave(Faults.none().refusing(address -> address.startsWith("r3.policy.")));
        String key = declareFor(10, "policy");

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!states(key).equals(Map.of("FAILED", 1L, "SENT", 9L)) && System.nanoTime() < deadline) {
            sleep(200);
        }

        assertEquals(Map.of("FAILED", 1L, "SENT", 9L), states(key));
        asAdmin().get("/api/channels").then().statusCode(200).body("find { it.channel == 'email' }.held", is(false));
        asAdmin().get("/api/subscribers/policy-" + run + "-3").then().statusCode(200)
                .body("contactPoints.find { it.channel == 'email' }.bouncedAt", nullValue());
        String error = asAdmin().get("/api/incidents/" + key + "/deliveries").then().statusCode(200)
                .extract().path("items.find { it.subscriber == 'policy-" + run + "-3' }.lastError");
        assertTrue(error.contains("554 5.7.1") && !error.contains("r3.policy." + run + "@example.com"), error);
    }

    /** Subscribes this many email recipients to a scope of their own and declares an incident for it. */
    String declareFor(int recipients, String name) {
        String scope = "component:" + name + "-" + run;
        String rows = IntStream.range(0, recipients).mapToObj(i -> """
                {"externalRef": "%s-%s-%d", "email": "r%d.%s.%s@example.com", "subscriptions": ["%s"]}
                """.formatted(name, run, i, i, name, run, scope)).collect(Collectors.joining());
        asAdmin().contentType("application/x-ndjson").body(rows).post("/api/subscribers/import").then().statusCode(200);
        String key = asAdmin().body("""
                {"title": "Portal down %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "The customer portal is down."}}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        while (planner.planBatch() > 0) {
            // plan everything released (the scheduled planner is off in tests)
        }
        return key;
    }

    void waitUntilAllSent(String incident, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Long> states = states(incident);
        while (states.keySet().stream().anyMatch(state -> !state.equals("SENT")) && System.nanoTime() < deadline) {
            sleep(200);
            states = states(incident);
        }
        assertEquals(List.of("SENT"), List.copyOf(states.keySet()),
                () -> "every notification of " + incident + " sent within " + within + "; server: "
                        + server.connections() + " connections, " + server.deliveries().size() + " delivered");
    }

    void assertExactlyOnce(String incident, int recipients) {
        List<Long> ids = notificationIds(incident);
        assertEquals(recipients, ids.size());
        Map<Long, Integer> deliveries = server.deliveries();
        Map<Long, Integer> notOnce = new TreeMap<>();
        for (Long id : ids) {
            int times = deliveries.getOrDefault(id, 0);
            if (times != 1) {
                notOnce.put(id, times);
            }
        }
        assertEquals(Map.of(), notOnce, "notifications the server took other than once (id=times)");
    }

    @SuppressWarnings("unchecked")
    Map<String, Long> states(String incident) {
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.state, count(*) as notifications from notification n join incident i on i.id = n.incident_id
                where i.incident_key = ?1 group by n.state""", Tuple.class).setParameter(1, incident).getResultList());
        Map<String, Long> states = new TreeMap<>();
        rows.forEach(row -> states.put(row.get("state", String.class), ((Number) row.get("notifications")).longValue()));
        return states;
    }

    @SuppressWarnings("unchecked")
    List<Long> notificationIds(String incident) {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Number>) em.createNativeQuery("""
                select n.id from notification n join incident i on i.id = n.incident_id where i.incident_key = ?1""")
                .setParameter(1, incident).getResultList()).stream().map(Number::longValue).toList());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
