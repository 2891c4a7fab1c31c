package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.incidentcomms.support.ServiceProcess;
import io.incidentcomms.support.TwilioStub;
import jakarta.mail.internet.InternetAddress;

/**
 * Two service processes (the packaged application, each in its own JVM) on one PostgreSQL
 * database, sending to GreenMail and the Twilio stub: every notification goes out once, a process
 * killed with {@code kill -9} mid-run loses nothing, and one stopped with SIGTERM hands its claims
 * back at once. Runs after packaging ({@code ./mvnw verify}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchAcrossProcessesIT {

    static final String DATABASE = "it_dispatch";
    static final int SMTP_PORT = 3325;
    static final int TWILIO_PORT = 18199;
    static final int SUBSCRIBERS = 5_000;

    static GreenMail smtp;
    static TwilioStub twilio;
    static ServiceProcess first;
    static ServiceProcess second;

    @BeforeAll
    static void startEverything() throws Exception {
        ServiceProcess.freshDatabase(DATABASE);
        smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
        smtp.start();
        twilio = new TwilioStub(TWILIO_PORT);
        Files.deleteIfExists(Path.of("target", "it-first.log"));
        Files.deleteIfExists(Path.of("target", "it-second.log"));
        first = start("first", 18281);
        second = start("second", 18282);
    }

    static ServiceProcess start(String name, int port) throws Exception {
        List<String> properties = new java.util.ArrayList<>(ServiceProcess.localProvidersWithProductionTimeouts(SMTP_PORT, TWILIO_PORT));
        properties.addAll(List.of(
                "-Dcomms.delivery.rate.sms-segments-per-second=0",
                "-Dcomms.delivery.dispatcher.reconcile-after=2s",
                "-Dcomms.delivery.dispatcher.retry-base=1s"));
        return ServiceProcess.start(name, port, DATABASE, properties);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        ServiceProcess.stopAll(first, second);
        if (twilio != null) {
            twilio.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** A scope with {@value #SUBSCRIBERS} subscribers, each with an email address and a mobile number: 10,000 contact points. */
    static String subscribers(String run) throws Exception {
        String scope = "component:" + run;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            rows.append("{\"externalRef\": \"").append(run).append('-').append(i).append("\", \"email\": \"")
                    .append(email(run, i)).append("\", \"phone\": \"").append(phone(run, i))
                    .append("\", \"smsConsent\": true, \"consentSource\": \"it\", \"tier\": \"priority\", ")
                    .append("\"subscriptions\": [\"").append(scope).append("\"]}\n");
        }
        first.post("/api/subscribers/import", "application/x-ndjson", rows.toString());
        return scope;
    }

    static String email(String run, int i) {
        return "p" + i + "." + run + "@example.com";
    }

    static String phone(String run, int i) {
        return "+447400" + (5 + Integer.parseInt(run.substring(run.length() - 1))) + String.format("%05d", i);
    }

    static String declare(String run, String scope) throws Exception {
        String body = first.post("/api/incidents", "application/json", """
                {"title": "Processes %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Payments are down."}}""".formatted(run, scope));
        return body.replaceAll("(?s).*\"key\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    static long count(String sql) throws Exception {
        return ServiceProcess.count(DATABASE, sql);
    }

    static long inState(String incidentKey, String states) throws Exception {
        return count("select count(*) from notification n join incident i on i.id = n.incident_id where i.incident_key = '"
                + incidentKey + "' and n.state in (" + states + ")");
    }

    static void awaitSent(String incidentKey, long atLeast, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (inState(incidentKey, "'SENT'") < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + inState(incidentKey, "'SENT'") + " of " + atLeast + " sent in " + within
                        + "; other states: " + count("select count(*) from notification where state <> 'SENT'"));
            }
            Thread.sleep(200);
        }
    }

    /** How many messages each of the run's addresses received, at GreenMail and at the Twilio stub. */
    static Map<String, Long> received(String run) {
        Map<String, Long> counts = Arrays.stream(smtp.getReceivedMessages()).map(m -> {
            try {
                return ((InternetAddress) m.getAllRecipients()[0]).getAddress();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.contains("." + run + "@")).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            phones.add(phone(run, i));
        }
        java.util.Set<String> ours = new java.util.HashSet<>(phones);
        twilio.created().stream().map(m -> (String) m.get("to")).filter(ours::contains)
                .forEach(to -> counts.merge(to, 1L, Long::sum));
        return counts;
    }

    static String run(int n) {
        return "r" + UUID.randomUUID().toString().substring(0, 6) + n;
    }

    @Test
    @Order(1)
    void twoProcessesSendEveryOneOfTenThousandNotificationsExactlyOnce() throws Exception {
        String run = run(1);
        String key = declare(run, subscribers(run));

        awaitSent(key, 2L * SUBSCRIBERS, Duration.ofMinutes(4));

        Map<String, Long> received = received(run);
        assertEquals(2 * SUBSCRIBERS, received.size(), "every email address and every number got a message");
        assertEquals(List.of(), received.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList(),
                "nobody got a message twice");
        double sentByFirst = first.metric("comms_messages_total{channel=\"email\",outcome=\"sent\"")
                + first.metric("comms_messages_total{channel=\"sms\",outcome=\"sent\"");
        double sentBySecond = second.metric("comms_messages_total{channel=\"email\",outcome=\"sent\"")
                + second.metric("comms_messages_total{channel=\"sms\",outcome=\"sent\"");
        System.out.printf("two processes: %.0f sent by the first, %.0f by the second%n", sentByFirst, sentBySecond);
        assertTrue(sentByFirst > 0 && sentBySecond > 0, "both processes sent");
        assertEquals(2.0 * SUBSCRIBERS, sentByFirst + sentBySecond, 0.0);
    }

    @Test
    @Order(2)
    void aProcessKilledMidRunLosesNothingAndOnlyItsInFlightSendsCanRepeat() throws Exception {
        String run = run(2);
        String key = declare(run, subscribers(run));
        awaitSent(key, 3_000, Duration.ofMinutes(2));

        second.process().destroyForcibly(); // SIGKILL
        second.process().waitFor();
        long sentAtKill = inState(key, "'SENT'");
        awaitSent(key, 2L * SUBSCRIBERS, Duration.ofMinutes(4));

        Map<String, Long> received = received(run);
        long twice = received.values().stream().filter(n -> n > 1).count();
        long uncertain = count("select count(*) from notification n join incident i on i.id = n.incident_id where i.incident_key = '"
                + key + "' and n.uncertain_attempts > 0");
        long uncertainSms = count("select count(*) from notification n join incident i on i.id = n.incident_id where i.incident_key = '"
                + key + "' and n.uncertain_attempts > 0 and n.channel = 'SMS'");
        System.out.printf("kill -9 after %d of %d sent: %d notification(s) marked uncertain (%d SMS looked up at Twilio), "
                + "%d recipient(s) got a message twice%n", sentAtKill, 2 * SUBSCRIBERS, uncertain, uncertainSms, twice);
        assertEquals(2 * SUBSCRIBERS, received.size(), "nothing was lost");
        assertTrue(received.values().stream().allMatch(n -> n <= 2), "at most one repeat, of a send in flight at the kill");
        assertTrue(twice <= uncertain, twice + " repeats, but only " + uncertain + " sends were in flight at the kill");
        assertTrue(uncertain > 0, "the killed process held claims");
        second = start("second", 18282);
    }

    @Test
    @Order(3)
    void aProcessStoppedWithSigtermHandsItsClaimsBackAtOnce() throws Exception {
        String run = run(3);
        String key = declare(run, subscribers(run));
        awaitSent(key, 3_000, Duration.ofMinutes(2));

        long firstLogBefore = Files.size(Path.of("target", "it-first.log"));
        second.stop(); // SIGTERM
        int exit = second.process().exitValue();
        assertTrue(exit == 0 || exit == 143, "the process stopped cleanly: " + exit);
        awaitSent(key, 2L * SUBSCRIBERS, Duration.ofMinutes(4));

        Map<String, Long> received = received(run);
        assertEquals(2 * SUBSCRIBERS, received.size());
        assertTrue(received.values().stream().allMatch(n -> n == 1), "nobody got a message twice");
        // the remaining process logs every claim it finds with its lease run out; a send that timed
        // out on its own (the mail client now and then hangs) is uncertain too, but not that
        String firstLogAfter = Files.readString(Path.of("target", "it-first.log")).substring((int) firstLogBefore);
        assertTrue(!firstLogAfter.contains("claimed by a worker that stopped"), "no claim waited for its lease to run out");
    }
}
