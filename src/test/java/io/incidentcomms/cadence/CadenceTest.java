package io.incidentcomms.cadence;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Metrics;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.Rabbit;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

/**
 * The cadence on a controlled clock: every update promises the next; before the promise the
 * owner is nudged; at it, with no news, a holding update goes to everyone; news from ops resets
 * the clock. Resolution is followed up a day later.
 */
@QuarkusTest
class CadenceTest extends DeliveringTest {

    @Inject
    CadenceWorker cadence;

    final MutableClock clock = TestClockProducer.testClock();
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:cadence-" + run;
    final String queue = "test-cadence-" + run;
    Instant t0;

    /** The clock stops on a 5-minute mark; earlier tests' incidents keep no promises here. */
    @BeforeEach
    void freezeTheClock() {
        quietEarlierWork();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        t0 = now.plus(Duration.ofMinutes(5 - now.atZone(ZoneOffset.UTC).getMinute() % 5));
        clock.freezeAt(t0);
        Smtp.purge();
        Rabbit.declareQueue(queue, "incident-events", "incident.#");
    }

    @AfterEach
    void resetTheClock() {
        clock.reset();
        Rabbit.deleteQueue(queue);
    }

    void at(Duration sinceStart) {
        clock.freezeAt(t0.plus(sinceStart));
    }

    void subscribers(String... names) {
        for (String who : names) {
            asAdmin().body("""
                    {"externalRef": "%s-%s", "email": "%s.%s@example.com", "subscriptions": ["%s"]}"""
                    .formatted(run, who, who, run, scope)).post("/api/subscribers").then().statusCode(201);
        }
    }

    String declare(String severity) {
        String key = asAdmin().body("""
                {"title": "Cadence %s", "kind": "outage", "severity": "%s", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail.", "de": "Kartenzahlungen scheitern."},
                 "owner": {"name": "Olga", "email": "owner.%s@example.com"}}""".formatted(run, severity, scope, run))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    List<String> kinds(String key) {
        return asAdmin().get("/api/incidents/" + key).then().statusCode(200).extract().path("timeline.messageKind");
    }

    Instant openDeadline(String key, String kind) {
        List<?> due = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select d.due_at from cadence_deadline d join incident i on i.id = d.incident_id
                where i.incident_key = ?1 and d.kind = ?2 and d.fired_at is null and d.cancelled_at is null""")
                .setParameter(1, key).setParameter(2, kind).getResultList());
        assertEquals(1, due.size(), "one open " + kind + " deadline");
        return io.incidentcomms.platform.time.SqlTimes.instant(due.get(0));
    }

    List<MimeMessage> mailTo(String who, String subjectStart) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessagesForDomain(who + "." + run + "@example.com")) {
            if (message.getSubject().startsWith(subjectStart)) {
                found.add(message);
            }
        }
        return found;
    }

    @Test
    void withoutNewsTheOwnerIsNudgedAt20MinutesAndEveryoneGetsAHoldingUpdateAt30PromisingTheNextBy60() throws Exception {
        subscribers("ann", "bob");
        String key = declare("critical");
        assertEquals(t0.plus(Duration.ofMinutes(30)), openDeadline(key, "HOLDING"));

        at(Duration.ofMinutes(19).plusSeconds(59));
        assertEquals(0, cadence.fireDue());
        assertEquals(0, mailTo("owner", "[" + key + "]").size());

        at(Duration.ofMinutes(20));
        assertEquals(1, cadence.fireDue());
        assertEquals(1, mailTo("owner", "[" + key + "]").size(), "the owner is nudged");
        assertTrue(GreenMailUtil.getBody(mailTo("owner", "[" + key + "]").get(0)).contains("/api/incidents/" + key));
        assertEquals(1, Rabbit.awaitEvents(queue, e -> "incident.nudge".equals(e.path("type").asText())
                && key.equals(e.path("incidentKey").asText()), 1).size());
        assertEquals(List.of("declared"), kinds(key));

        at(Duration.ofMinutes(29).plusSeconds(59));
        assertEquals(0, cadence.fireDue());
        at(Duration.ofMinutes(30));
        assertEquals(1, cadence.fireDue());
        assertEquals(List.of("declared", "holding"), kinds(key));
        assertEquals(t0.plus(Duration.ofMinutes(60)), openDeadline(key, "HOLDING"), "the next promise");
        assertEquals(t0.plus(Duration.ofMinutes(50)), openDeadline(key, "NUDGE"));
        asAdmin().get("/api/incidents/" + key).then()
                .body("timeline[1].nextUpdateBy", Matchers.is(t0.plus(Duration.ofMinutes(60)).toString()));

        planAndDispatch();
        String promised = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(Locale.ENGLISH)
                .format(t0.plus(Duration.ofMinutes(60)).atZone(ZoneOffset.UTC));
        for (String who : List.of("ann", "bob")) {
            List<MimeMessage> holding = mailTo(who, "Still working on it");
            assertEquals(1, holding.size(), who + " gets the holding update once");
            String text = GreenMailUtil.getBody(holding.get(0)).replace("=\r\n", "").replace("=E2=80=AF", "\u202f");
            assertTrue(text.contains("We have no new information yet, and we are still working on it. As a reminder:"
                    + " Card payments fail."), text);
            assertTrue(text.contains("our next update comes by") && text.contains(promised + " UTC"),
                    "the message shows the stored promise: " + text);
        }
        assertEquals(0, cadence.fireDue(), "nothing fires twice");
    }

    @Test
    void anOpsUpdateAt25MinutesGoesOutInsteadOfTheHoldingUpdateAndPromisesTheNextBy55() {
        subscribers("cat");
        String key = declare("critical");
        at(Duration.ofMinutes(20));
        assertEquals(1, cadence.fireDue());

        at(Duration.ofMinutes(25));
        asAdmin().body("{\"state\": \"identified\", \"explain\": {\"en\": \"A card terminal update broke it.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        at(Duration.ofMinutes(30));
        assertEquals(0, cadence.fireDue());

        assertEquals(List.of("declared", "update"), kinds(key), "no holding update");
        assertEquals(t0.plus(Duration.ofMinutes(55)), openDeadline(key, "HOLDING"));
        assertEquals(t0.plus(Duration.ofMinutes(45)), openDeadline(key, "NUDGE"));
    }

    @Test
    void twoInstancesFiringTheSameDeadlineAtOncePublishOneHoldingUpdate() throws Exception {
        subscribers("dan");
        String key = declare("critical");
        at(Duration.ofMinutes(31));
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> firing = List.of(cadence::fireDue, cadence::fireDue, cadence::fireDue, cadence::fireDue);
            int fired = 0;
            for (Future<Integer> result : instances.invokeAll(firing)) {
                fired += result.get();
            }
            assertEquals(2, fired, "the nudge and the holding update, once each");
        } finally {
            instances.shutdown();
        }
        assertEquals(List.of("declared", "holding"), kinds(key));
    }

    @Test
    void everyoneToldGetsOneResolvedMessageAndOneFollowUpADayLaterWhoseStillAffectedAnswersAreCounted() throws Exception {
        subscribers("eve", "fay", "gus");
        String key = declare("major");
        asAdmin().body("{\"subscriptions\": []}").put("/api/subscribers/" + run + "-eve").then().statusCode(200);

        at(Duration.ofMinutes(40));
        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Card payments work again.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();
        for (String who : List.of("eve", "fay", "gus")) {
            assertEquals(1, mailTo(who, "Resolved:").size(), who + " hears it is resolved, once");
        }
        String resolved = GreenMailUtil.getBody(mailTo("eve", "Resolved:").get(0)).replace("=\r\n", "");
        assertTrue(resolved.contains("Card payments work again. It lasted 40 min."),
                "what was done and how long it lasted: " + resolved);
        assertEquals(0, cadence.fireDue(), "a resolved incident is not held nor nudged");

        at(Duration.ofMinutes(40).plusHours(24).minusSeconds(1));
        assertEquals(0, cadence.fireDue());
        at(Duration.ofMinutes(40).plusHours(24));
        assertEquals(1, cadence.fireDue());
        assertEquals(0, cadence.fireDue());
        planAndDispatch();
        for (String who : List.of("eve", "fay", "gus")) {
            assertEquals(1, mailTo(who, "Is everything working again?").size(), who + " is asked once");
        }

        for (String who : List.of("eve", "fay", "gus")) {
            String html = GreenMailUtil.getBody(mailTo(who, "Is everything working again?").get(0))
                    .replace("=\r\n", "").replace("=3D", "=");
            Matcher link = Pattern.compile("answer\\?token=([^&\"]+)&(?:amp;)?option=2\"").matcher(html);
            assertTrue(link.find(), "the follow-up offers 'still affected'");
            asAnonymous().contentType(ContentType.URLENC).formParam("token", link.group(1)).formParam("option", "2")
                    .post("/self-service/answer").then().statusCode(200);
        }
        asAdmin().get("/api/incidents/" + key + "/summary").then().body("stillAffected", Matchers.is(3));
        assertEquals(1, Rabbit.awaitEvents(queue, e -> "incident.nudge".equals(e.path("type").asText())
                && key.equals(e.path("incidentKey").asText())
                && "still-affected".equals(e.path("data").path("reason").asText()), 1).size());
        assertEquals(1, mailTo("owner", "[" + key + "]").stream().filter(m -> {
            try {
                return GreenMailUtil.getBody(m).contains("still affects them");
            } catch (RuntimeException e) {
                return false;
            }
        }).count(), "the owner hears that customers are still affected");
    }

    String declareMaintenance() {
        String key = asAdmin().body("""
                {"title": "Maintenance %s", "kind": "maintenance", "severity": "minor", "scopes": ["%s"],
                 "startedAt": "%s", "expectedEndAt": "%s",
                 "explain": {"en": "Payments pause on Saturday from 02:00 to 04:00."}}"""
                .formatted(run, scope, t0.plus(Duration.ofHours(72)), t0.plus(Duration.ofHours(74))))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    @Test
    void maintenanceScheduled72HoursAheadIsAnnouncedAt72And24And1HoursThenStartedAndCompleted() throws Exception {
        subscribers("hal", "ida");
        String key = declareMaintenance();
        asAdmin().get("/api/incidents/" + key).then()
                .body("timeline[0].nextUpdateBy", Matchers.is(t0.plus(Duration.ofHours(48)).toString()));

        at(Duration.ofHours(48).minusSeconds(1));
        assertEquals(0, cadence.fireDue());
        at(Duration.ofHours(48));
        assertEquals(1, cadence.fireDue());
        planAndDispatch();
        at(Duration.ofHours(71));
        assertEquals(1, cadence.fireDue());
        planAndDispatch();
        at(Duration.ofHours(72));
        assertEquals(1, cadence.fireDue());
        planAndDispatch();
        assertEquals("in_progress", asAdmin().get("/api/incidents/" + key).then().extract().path("state"));

        at(Duration.ofHours(73).plusMinutes(50));
        asAdmin().body("{\"state\": \"completed\", \"explain\": {\"en\": \"Payments work again.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();

        assertEquals(List.of("maintenance_notice", "maintenance_notice", "maintenance_notice", "maintenance_started",
                "maintenance_completed"), kinds(key));
        for (String who : List.of("hal", "ida")) {
            assertEquals(3, mailTo(who, "Planned maintenance:").size(), who + " gets the notices at 72, 24 and 1 h");
            assertEquals(1, mailTo(who, "Maintenance has started:").size());
            assertEquals(1, mailTo(who, "Maintenance completed:").size());
        }
        at(Duration.ofHours(80));
        assertEquals(0, cadence.fireDue(), "completed work keeps no more promises");
    }

    @Test
    void cancellingPlannedWorkAfterTheFirstNoticeTellsEveryoneWhoGotItAndStopsTheNotices() throws Exception {
        subscribers("jan", "kim");
        String key = declareMaintenance();
        asAdmin().body("{\"subscriptions\": []}").put("/api/subscribers/" + run + "-kim").then().statusCode(200);

        at(Duration.ofHours(10));
        asAdmin().body("{\"state\": \"cancelled\", \"explain\": {\"en\": \"The maintenance is called off.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();

        for (String who : List.of("jan", "kim")) {
            assertEquals(1, mailTo(who, "Maintenance cancelled:").size(), who + " got the notice, so hears it is off");
        }
        at(Duration.ofHours(48));
        assertEquals(0, cadence.fireDue(), "no more notices");
    }

    @Test
    void reschedulingPlannedWorkMovesItsNoticesAndTellsEveryoneWhoGotOne() throws Exception {
        subscribers("lea");
        String key = declareMaintenance();
        at(Duration.ofHours(1));
        asAdmin().body("""
                {"startsAt": "%s", "endsAt": "%s", "explain": {"en": "Moved to Sunday 02:00 to 04:00."}}"""
                .formatted(t0.plus(Duration.ofHours(96)), t0.plus(Duration.ofHours(98))))
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();
        assertEquals(2, mailTo("lea", "Planned maintenance:").size() + mailTo("lea", "Update:").size());

        at(Duration.ofHours(24));
        assertEquals(1, cadence.fireDue(), "72 h before the new start");
        at(Duration.ofHours(48));
        assertEquals(0, cadence.fireDue(), "the notice 24 h before the old start is gone");
        at(Duration.ofHours(72));
        assertEquals(1, cadence.fireDue(), "24 h before the new start");
        assertEquals("scheduled", asAdmin().get("/api/incidents/" + key).then().extract().path("state"));
    }

    /** 23:00 tonight in Berlin, as a frozen clock; t0 moves there. */
    void at2300InBerlin() {
        java.time.ZonedDateTime berlin = Instant.now().atZone(java.time.ZoneId.of("Europe/Berlin")).plusDays(1)
                .withHour(23).withMinute(0).withSecond(0).withNano(0);
        t0 = berlin.toInstant();
        clock.freezeAt(t0);
    }

    void sleeper(String who) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s.%s@example.com", "timeZone": "Europe/Berlin",
                 "quietHours": "22:00-07:00", "subscriptions": ["%s"]}"""
                .formatted(run, who, who, run, scope)).post("/api/subscribers").then().statusCode(201);
    }

    @Test
    void twoMinorUpdatesInTheNightBecomeOneMessageAt7CarryingTheLatestState()
            throws Exception {
        at2300InBerlin();
        sleeper("mia");
        String key = declare("minor");
        assertEquals(0, mailTo("mia", "").size(), "23:00 is in her quiet hours");

        at(Duration.ofHours(2));
        asAdmin().body("{\"explain\": {\"en\": \"The payment provider is restoring service.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();
        assertEquals(0, mailTo("mia", "").size(), "01:00 too");

        at(Duration.ofHours(8).minusSeconds(1));
        planAndDispatch();
        assertEquals(0, mailTo("mia", "").size());
        at(Duration.ofHours(8));
        planAndDispatch();
        List<MimeMessage> morning = mailTo("mia", "");
        assertEquals(1, morning.size(), "one message at 07:00, not a backlog");
        String text = GreenMailUtil.getBody(morning.get(0)).replace("=\r\n", "");
        assertTrue(text.contains("The payment provider is restoring service."), "the latest state");
    }

    @Test
    void aCriticalUpdateAt23GoesAtOnceToSomeoneInQuietHours() throws Exception {
        at2300InBerlin();
        sleeper("ned");
        declare("critical");
        assertEquals(1, smtp.getReceivedMessagesForDomain("ned." + run + "@example.com").length);
    }

    @Test
    void aPromiseThatFallsInTheRecipientsQuietHoursIsToldAsTheEndOfThemPlusTheMargin() throws Exception {
        at2300InBerlin();
        at(Duration.ofHours(-2)); // 21:00 in Berlin: a minor update now promises 01:00, inside 22:00-07:00
        sleeper("ola");
        declare("minor");
        String text = GreenMailUtil.getBody(smtp.getReceivedMessagesForDomain("ola." + run + "@example.com")[0])
                .replace("=\r\n", "");
        assertTrue(text.contains("7:05 AM"), "next update when her quiet hours end, with the margin: " + text);
    }

    @Test
    void aPromiseMadeAt0150OnTheNightClocksGoForwardIsPrintedInTheZonesNewTime() throws Exception {
        // 28 March 2027, Europe/Berlin: 02:00 CET becomes 03:00 CEST; 01:50 CET is 00:50 UTC
        t0 = Instant.parse("2027-03-28T00:50:00Z");
        clock.freezeAt(t0);
        asAdmin().body("""
                {"externalRef": "%s-pia", "email": "pia.%s@example.com", "timeZone": "Europe/Berlin", "locale": "de",
                 "subscriptions": ["%s"]}""".formatted(run, run, scope)).post("/api/subscribers").then().statusCode(201);
        String key = declare("critical");
        asAdmin().get("/api/incidents/" + key).then()
                .body("timeline[0].nextUpdateBy", Matchers.is("2027-03-28T01:20:00Z"));
        String text = GreenMailUtil.getBody(smtp.getReceivedMessagesForDomain("pia." + run + "@example.com")[0])
                .replace("=\r\n", "");
        assertTrue(text.contains("03:20 MESZ"), "01:20 UTC is 03:20 summer time in Berlin: " + text);
    }

    @Test
    void closingWithAnInternalNoteEndsThePromisesSoNothingIsHeldForAClosedIncident() {
        subscribers("dan");
        String key = declare("critical");
        at(Duration.ofMinutes(5));
        asAdmin().body("{\"state\": \"resolved\", \"notifyCustomers\": false}").post("/api/incidents/" + key + "/updates")
                .then().statusCode(201);

        at(Duration.ofMinutes(45));
        assertEquals(0, cadence.fireDue(), "no nudge, no holding update for a resolved incident");
        assertEquals(List.of("declared", "resolved"), kinds(key));
    }

    @Test
    void aPausedIncidentsDeadlinesWaitForItsResumeInsteadOfBeingUsedUp() {
        subscribers("eli");
        String key = declare("critical");
        asAdmin().post("/api/incidents/" + key + "/pause").then().statusCode(200);
        at(Duration.ofMinutes(35));
        assertEquals(0, cadence.fireDue());
        assertEquals(List.of("declared"), kinds(key));

        asAdmin().post("/api/incidents/" + key + "/resume").then().statusCode(200);
        assertEquals(2, cadence.fireDue(), "the nudge and the holding update, late but not lost");
        assertEquals(List.of("declared", "holding"), kinds(key));
    }

    @Test
    void aDeadlineThatKeepsFailingIsSetAsideAndNeverHoldsBackTheOthers() {
        subscribers("fin");
        String failing = declare("critical");
        String healthy = declare("critical");
        long failingId = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from incident where incident_key = ?1").setParameter(1, failing).getSingleResult()).longValue());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                create or replace function refuse_update() returns trigger language plpgsql as $$
                begin raise exception 'the database refuses this update'; end $$;
                create trigger refuse_update before insert on incident_update for each row
                    when (new.incident_id = %d) execute function refuse_update()""".formatted(failingId)).executeUpdate());
        try {
            at(Duration.ofMinutes(30));
            cadence.fireDue();
            assertEquals(List.of("declared", "holding"), kinds(healthy), "the other incident's holding update goes out");
            assertEquals(List.of("declared"), kinds(failing));
            for (int minutes = 32; minutes < 120; minutes += 16) {
                at(Duration.ofMinutes(minutes));
                cadence.fireDue();
            }
            asAdmin().get("/api/deadlines/failing").then().statusCode(200)
                    .body("find { it.incidentKey == '" + failing + "' }.kind", Matchers.is("holding"))
                    .body("find { it.incidentKey == '" + failing + "' }.attempts", Matchers.is(5))
                    .body("find { it.incidentKey == '" + failing + "' }.failedAt", Matchers.notNullValue())
                    .body("find { it.incidentKey == '" + failing + "' }.lastError",
                            Matchers.containsString("the database refuses this update"));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "drop trigger if exists refuse_update on incident_update").executeUpdate());
        }
    }

    @Test
    void promisesAreCountedKeptByOpsOrHeldByTheCadenceAndShowAsDueSoonThenOverdue() {
        subscribers("mia");
        double kept = Metrics.value("comms_promises_total", "outcome=\"kept\"");
        double held = Metrics.value("comms_promises_total", "outcome=\"held\"");
        String key = declare("critical");
        assertEquals(0, Metrics.value("comms_promises_due_soon", ""), "a promise 30 minutes away is not at risk");

        at(Duration.ofMinutes(25));
        assertEquals(1, Metrics.value("comms_promises_due_soon", ""), "five minutes before it, it is");
        asAdmin().body("{\"state\": \"identified\", \"explain\": {\"en\": \"A card terminal update broke it.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();
        assertEquals(kept + 1, Metrics.value("comms_promises_total", "outcome=\"kept\""), "ops kept it");
        assertEquals(0, Metrics.value("comms_promises_due_soon", ""), "the new promise is 30 minutes away again");

        Instant holdingDue = openDeadline(key, "HOLDING");
        clock.freezeAt(holdingDue.plus(Duration.ofMinutes(3)));
        assertEquals(1, Metrics.value("comms_promises_overdue", ""), "a holding update three minutes late");
        assertEquals(2, cadence.fireDue(), "the owner's nudge, then the holding update");
        assertEquals(held + 1, Metrics.value("comms_promises_total", "outcome=\"held\""), "the cadence kept it");
        assertEquals(0, Metrics.value("comms_promises_overdue", ""));
        assertEquals(kept + 1, Metrics.value("comms_promises_total", "outcome=\"kept\""), "a holding update keeps no promise of ops'");
    }
}
