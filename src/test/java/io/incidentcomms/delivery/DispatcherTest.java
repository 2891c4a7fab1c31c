package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.TestClockProducer;
import io.incidentcomms.support.TwilioStub.Answer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.InternetAddress;

/** Planned notifications go out by email (GreenMail) and SMS (Twilio stub), once each. */
@QuarkusTest
class DispatcherTest extends DeliveringTest {

    @Inject
    SenderPacing pacing;
    @Inject
    DeliveryConfig deliveryConfig;
    @Inject
    SmsReconciliation reconciliation;
    @Inject
    ChannelHolds holds;
    @Inject
    DeliveryMetrics metrics;
    @Inject
    DataSource dataSource;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:dispatch-" + run;

    @BeforeEach
    void drainEarlierWork() {
        pacing.reset();
        twilio.reset();
        planAndDispatch();
        twilio.reset();
        Smtp.purge();
    }

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
        pacing.reset();
    }

    void subscriber(String who, String phone) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s.%s@example.com", "phone": "%s", "smsConsent": true,
                 "consentSource": "test", "locale": "de", "timeZone": "Europe/Berlin", "subscriptions": ["%s"]}"""
                .formatted(run, who, who, run, phone, scope)).post("/api/subscribers").then().statusCode(201);
    }

    String declare() {
        return asAdmin().body("""
                {"title": "Dispatch %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Checkout fails.", "de": "Die Kasse streikt."},
                 "options": [{"code": "1", "label": {"en": "Pay by invoice", "de": "Auf Rechnung zahlen"}}]}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    List<String> states(String key) {
        @SuppressWarnings("unchecked")
        List<String> states = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.state from notification n join incident i on i.id = n.incident_id
                join subscriber s on s.id = n.subscriber_id
                where i.incident_key = ?1 and s.external_ref like ?2 order by n.id""")
                .setParameter(1, key).setParameter(2, run + "-%").getResultList());
        return states;
    }

    long createdFor(String number) {
        return twilio.created().stream().filter(m -> number.equals(m.get("to"))).count();
    }

    long requestsFor(String number) {
        return twilio.requests().stream().filter(r -> number.equals(r.form().get("To"))).count();
    }

    @Test
    void everyContactPointGetsTheUpdateExactlyOnce() throws Exception {
        subscriber("ann", "+447400200001");
        subscriber("bob", "+447400200002");
        String key = declare();

        planAndDispatch();
        planAndDispatch();

        // subscribers of earlier tests with wildcard subscriptions hear about this incident too
        List<String> recipients = Arrays.stream(smtp.getReceivedMessages())
                .map(m -> { try { return ((InternetAddress) m.getAllRecipients()[0]).getAddress(); }
                    catch (Exception e) { throw new IllegalStateException(e); } })
                .filter(address -> address.contains(run)).sorted().toList();
        assertEquals(List.of("ann." + run + "@example.com", "bob." + run + "@example.com"), recipients);
        List<java.util.Map<String, Object>> ours = twilio.created().stream()
                .filter(m -> List.of("+447400200001", "+447400200002").contains(m.get("to"))).toList();
        assertEquals(List.of("+447400200001", "+447400200002"),
                ours.stream().map(m -> (String) m.get("to")).sorted().toList());
        for (var message : ours) {
            String body = (String) message.get("body");
            assertTrue(body.startsWith("Status: Die Kasse streikt."), body);
            assertTrue(body.endsWith("STOP zum Abmelden"), "the first SMS says how to opt out: " + body);
            assertTrue(((String) message.get("status_callback_for_test")).contains("/api/twilio/status?notification="));
        }
        assertEquals(List.of("SENT", "SENT", "SENT", "SENT"), states(key));

        asAdmin().get("/api/incidents/" + key + "/summary").then().statusCode(200)
                .body("perChannel.email.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("perChannel.sms.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("perChannel.sms.failed", org.hamcrest.Matchers.is(0));
        asAdmin().queryParam("channel", "sms").queryParam("status", "sent").queryParam("size", 500)
                .get("/api/incidents/" + key + "/deliveries").then().statusCode(200)
                .body("items.findAll { it.subscriber.startsWith('" + run + "') }.address",
                        org.hamcrest.Matchers.containsInAnyOrder("+44*******001", "+44*******002"))
                .body("items.channel", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("sms")));
        asAdmin().queryParam("status", "lost").get("/api/incidents/" + key + "/deliveries").then().statusCode(400);

        // the log shows what each got; recipients of one rendering share one stored variant
        asAdmin().queryParam("size", 500).get("/api/incidents/" + key + "/deliveries").then().statusCode(200)
                .body("items.findAll { it.subscriber.startsWith('" + run + "') }.text",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.containsString("Die Kasse streikt.")))
                .body("items.findAll { it.subscriber.startsWith('" + run + "') && it.channel == 'email' }.subject",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString())));
        @SuppressWarnings("unchecked")
        List<Object[]> variants = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.channel, count(distinct n.variant_id), count(*) from notification n
                join incident i on i.id = n.incident_id join subscriber s on s.id = n.subscriber_id
                where i.incident_key = ?1 and s.external_ref like ?2 group by n.channel order by n.channel""")
                .setParameter(1, key).setParameter(2, run + "-%").getResultList());
        assertEquals(List.of("EMAIL 1 2", "SMS 1 2"),
                variants.stream().map(r -> r[0] + " " + r[1] + " " + r[2]).toList());
    }

    @Test
    void aBatchIsDoneOnlyOnceEachMessageItSentIsRecordedAsSent() {
        for (int i = 0; i < 4; i++) {
            subscriber("rec" + i, "+4474002001" + (40 + i));
        }
        String key = declare();
        while (planner.planBatch() > 0) {
            // plan it
        }

        dispatcher.dispatchBatch();

        List<String> states = states(key);
        assertEquals(8, states.size(), states.toString());
        assertFalse(states.contains("SENDING"), "sent, and not yet recorded as sent, after the batch: " + states);
        assertTrue(states.contains("SENT"), states.toString());
    }

    @Test
    void whileAcceptedSendsCannotBeRecordedNoFurtherMessageGoesOut() throws Exception {
        // the first SMS is answered at once, the next ten after 1.5 s, eight at a time: well past the
        // 500 ms after which an unwritten record counts as stalled, even should the first answer be late
        subscriber("fast", "+447400200150");
        for (int i = 1; i <= 10; i++) {
            String phone = "+4474002001" + (50 + i);
            subscriber("slow" + i, phone);
            twilio.scriptFor(phone, Answer.acceptedButSlow(1_500));
        }
        String key = declare();
        while (planner.planBatch() > 0) {
            // plan it
        }
        String stall = "stall_" + run.replace('-', '_');
        // the first record of an SMS as sent waits for the row this test locks, as when the
        // database stops answering, for as long as the test holds it
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("create table " + stall + " (armed boolean)").executeUpdate();
            em.createNativeQuery("insert into " + stall + " values (true)").executeUpdate();
            em.createNativeQuery("""
                    create function %1$s() returns trigger language plpgsql as $$
                    begin
                        if new.channel = 'SMS' and exists (select 1 from %1$s where armed) then
                            update %1$s set armed = false;
                        end if;
                        return new;
                    end $$""".formatted(stall)).executeUpdate();
            em.createNativeQuery("create trigger " + stall + " before update of state on notification for each row"
                    + " when (old.state = 'SENDING' and new.state = 'SENT') execute function " + stall + "()").executeUpdate();
        });
        ExecutorService background = Executors.newSingleThreadExecutor();
        Connection database = dataSource.getConnection();
        try {
            database.setAutoCommit(false);
            try (var lock = database.createStatement()) {
                lock.execute("select armed from " + stall + " for update");
            }
            Future<Integer> batch = background.submit(() -> dispatcher.dispatchBatch());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (oursRequested() < 9 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(9, oursRequested(), "the fast one and the eight slow ones that started with it");

            Thread.sleep(2_000); // the slow ones have been answered, and their threads are free

            assertEquals(9, oursRequested(), "the last two wait while the first record hangs, though threads are free");
            database.rollback();
            batch.get(30, TimeUnit.SECONDS);
        } finally {
            database.close();
            background.shutdownNow();
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("drop trigger if exists " + stall + " on notification").executeUpdate();
                em.createNativeQuery("drop function if exists " + stall + "()").executeUpdate();
                em.createNativeQuery("drop table if exists " + stall).executeUpdate();
            });
        }
        assertEquals(11, oursRequested(), "once recording goes on, so do they");
        assertEquals(Collections.nCopies(11, "SENT"), smsStates(key));
    }

    /** Requests to Twilio for +447400200150 to +447400200160. */
    long oursRequested() {
        return twilio.requests().stream().map(r -> r.form().get("To"))
                .filter(to -> to != null && to.matches("\\+4474002001(5\\d|60)")).count();
    }

    @Test
    void anUpdatesTimeToEveryoneIsRecordedOnceWhenItsLastMessageIsOut() {
        subscriber("tia", "+447400200011");
        metrics.recordTimeToEveryone(); // earlier tests' updates
        double timed = io.incidentcomms.support.Metrics.value("comms_update_time_to_everyone_seconds_count", "");
        String key = declare();
        planAndDispatch();
        assertFalse(states(key).contains("PLANNED"), states(key).toString());

        metrics.recordTimeToEveryone();
        metrics.recordTimeToEveryone();

        assertEquals(timed + 1, io.incidentcomms.support.Metrics.value("comms_update_time_to_everyone_seconds_count", ""),
                "recorded once");
        Object reached = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select ni.everyone_reached_at from notification_intent ni join incident i on i.id = ni.incident_id
                where i.incident_key = ?1""").setParameter(1, key).getSingleResult());
        assertTrue(reached != null, "the update is marked as having reached everyone");
    }

    @Test
    void aSendWhoseRecordMeetsADroppedDatabaseConnectionIsRecordedOnceTheDatabaseAnswersNotSentAgain() throws Exception {
        subscriber("uma", "+447400200012");
        // the SMS is answered after 800 ms; meanwhile every connection the service holds is cut, as a restart does
        twilio.scriptFor("+447400200012", Answer.acceptedButSlow(800));
        String key = declare();
        Thread cut = new Thread(() -> {
            try {
                Thread.sleep(400);
                try (var c = java.sql.DriverManager.getConnection(
                        io.incidentcomms.support.TestServices.postgresUrl("test"), "postgres", "postgres");
                        var s = c.createStatement()) {
                    s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'test'"
                            + " and pid <> pg_backend_pid() and backend_type = 'client backend'");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cut.start();

        planAndDispatch();
        cut.join();

        assertEquals(1, createdFor("+447400200012"));
        assertEquals(List.of("SENT"), smsStates(key), "recorded as sent, not left to be sent again");
        planAndDispatch();
        assertEquals(1, createdFor("+447400200012"), "not sent a second time");
    }

    List<String> smsStates(String key) {
        @SuppressWarnings("unchecked")
        List<String> states = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.state from notification n join incident i on i.id = n.incident_id
                join subscriber s on s.id = n.subscriber_id
                where i.incident_key = ?1 and s.external_ref like ?2 and n.channel = 'SMS' order by n.id""")
                .setParameter(1, key).setParameter(2, run + "-%").getResultList());
        return states;
    }

    @Test
    void aThrottledSmsWaitsForItsRetryAndThenGoesOutOnce() {
        subscriber("cat", "+447400200003");
        twilio.scriptFor("+447400200003", Answer.error(429, 20429));
        String key = declare();

        planAndDispatch();
        assertEquals(0, createdFor("+447400200003"));
        assertTrue(states(key).contains("PLANNED"), states(key).toString());
        planAndDispatch();
        assertEquals(0, createdFor("+447400200003"), "not before its next attempt time");

        TestClockProducer.testClock().advance(Duration.ofMinutes(2));
        planAndDispatch();
        assertEquals(1, createdFor("+447400200003"));
        assertEquals(List.of("SENT", "SENT"), states(key));
    }

    @Test
    void anOptedOutNumberFailsAtOnceAndIsMarkedOptedOut() {
        subscriber("dan", "+447400200004");
        twilio.scriptFor("+447400200004", Answer.error(400, 21610));
        declare();

        planAndDispatch();

        assertEquals(1, requestsFor("+447400200004"));
        asAdmin().get("/api/subscribers/" + run + "-dan").then().statusCode(200)
                .body("contactPoints.find { it.channel == 'sms' }.optedOutVia", org.hamcrest.Matchers.is("STOP_REPLY"));
    }

    @Test
    void onlyTheFirstSmsOfAnIncidentToANumberSaysHowToOptOut() {
        subscriber("gil", "+447400200007");
        String key = declare();
        planAndDispatch();
        asAdmin().body("{\"explain\": {\"en\": \"Still failing\", \"de\": \"Noch gestört\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        planAndDispatch();

        List<String> bodies = twilio.created().stream().filter(m -> "+447400200007".equals(m.get("to")))
                .map(m -> (String) m.get("body")).toList();
        assertEquals(2, bodies.size(), bodies.toString());
        assertTrue(bodies.get(0).endsWith("STOP zum Abmelden"), "the first says how to opt out: " + bodies.get(0));
        assertTrue(bodies.get(1).contains("Noch gestört") && !bodies.get(1).contains("STOP"),
                "the second, to a number told before, does not: " + bodies.get(1));
    }

    @Test
    void aNewerUpdatePublishedWhileAnOlderOneIsQueuedSupersedesIt() {
        subscriber("fay", "+447400200006");
        String key = declare();
        while (planner.planBatch() > 0) {
            // the declaration is planned but not sent
        }
        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed\", \"de\": \"Behoben\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        planAndDispatch();

        assertEquals(List.of("SUPERSEDED", "SUPERSEDED", "SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200006"));
        String body = (String) twilio.created().stream().filter(m -> "+447400200006".equals(m.get("to"))).findFirst()
                .orElseThrow().get("body");
        assertTrue(body.contains("Behoben"), body);
    }

    @Test
    void behindOneHundredThousandQueuedMinorNotificationsAMajorUpdatesMessagesGoOutFirst() {
        String minorScope = "component:fanout-" + run;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            // email and SMS each (priority tier): 100,000 minor notifications
            rows.append("{\"externalRef\": \"").append(run).append("-minor-").append(i)
                    .append("\", \"email\": \"m").append(i).append('.').append(run).append("@example.com\"")
                    .append(", \"phone\": \"+447401").append(String.format("%06d", i))
                    .append("\", \"smsConsent\": true, \"consentSource\": \"test\", \"tier\": \"priority\", ")
                    .append("\"subscriptions\": [\"").append(minorScope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import")
                .then().statusCode(200).body("imported", org.hamcrest.Matchers.is(50_000));
        String minor = asAdmin().body("""
                {"title": "Minor %s", "kind": "degradation", "severity": "minor", "scopes": ["%s"],
                 "explain": {"en": "Search is a little slow."}}""".formatted(run, minorScope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        while (planner.planBatch() > 0) {
            // the minor fan-out is queued first
        }
        subscriber("vip", "+447400299999");
        declare();
        while (planner.planBatch() > 0) {
            // then the major incident
        }
        // (subscribers of earlier tests with wildcard subscriptions hear of it too)
        assertTrue(queued(minor) >= 100_000L, "100k minor notifications are queued: " + queued(minor));
        try {
            dispatcher.dispatchBatch(); // one claim per channel

            int batch = deliveryConfig.dispatcher().batchSize();
            assertEquals(1, createdFor("+447400299999"), "the major incident's SMS went in the first claim");
            assertTrue(Arrays.stream(smtp.getReceivedMessages()).anyMatch(m -> {
                try { return ((InternetAddress) m.getAllRecipients()[0]).getAddress().equals("vip." + run + "@example.com"); }
                catch (Exception e) { throw new IllegalStateException(e); }
            }), "and so did its email");
            assertTrue(queued(minor) >= 100_000L - 2L * batch, "the minor ones wait: " + queued(minor) + " still queued");
        } finally {
            // the rest of the fan-out is not this test's business
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                    update notification set state = 'SUPERSEDED' where state = 'PLANNED'
                      and incident_id = (select id from incident where incident_key = ?1)""")
                    .setParameter(1, minor).executeUpdate());
        }
    }

    long queued(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification where state = 'PLANNED'
                  and incident_id = (select id from incident where incident_key = ?1)""")
                .setParameter(1, key).getSingleResult()).longValue());
    }

    @Test
    void anUncertainSmsFoundAtTwilioIsSentAndOneNotFoundIsSentAgainOnce() {
        subscriber("gil", "+447400200007");
        subscriber("hal", "+447400200008");
        twilio.scriptFor("+447400200007", Answer.createdButServerError());
        twilio.scriptFor("+447400200008", Answer.serverError());
        String key = declare();
        planAndDispatch();
        assertEquals(List.of("SENT", "UNCERTAIN", "SENT", "UNCERTAIN"), states(key));

        TestClockProducer.testClock().advance(Duration.ofMinutes(1));
        planAndDispatch();

        assertEquals(List.of("SENT", "SENT", "SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200007"), "found at Twilio: not sent again");
        assertEquals(1, requestsFor("+447400200007"), "one create request, then only a look-up");
        assertEquals(1, createdFor("+447400200008"), "not found at Twilio: sent again, once");
    }

    @Test
    void uncertainSmsAreLookedUpOffTheSendLoopLessOftenWhileTwilioDoesNotAnswerAndNotWhileTheChannelIsHeld() {
        subscriber("lea", "+447400200020");
        twilio.scriptFor("+447400200020", Answer.serverError());
        String key = declare();
        planAndDispatch();
        assertEquals(List.of("SENT", "UNCERTAIN"), states(key).stream().sorted().toList());
        twilio.listUnavailable(true);
        MutableClock clock = TestClockProducer.testClock();
        clock.advance(Duration.ofSeconds(31)); // past reconcile-after (30 s)

        dispatcher.dispatchBatch();
        assertEquals(0, lookupsFor("+447400200020"), "sending looks nothing up");

        reconciliation.reconcileDue();
        reconciliation.reconcileDue();
        assertEquals(1, lookupsFor("+447400200020"), "no answer: not asked again at once");
        clock.advance(Duration.ofSeconds(31));
        reconciliation.reconcileDue();
        assertEquals(2, lookupsFor("+447400200020"), "asked again after 30 s");
        clock.advance(Duration.ofSeconds(31));
        reconciliation.reconcileDue();
        assertEquals(2, lookupsFor("+447400200020"), "and then waits twice as long");
        clock.advance(Duration.ofSeconds(30));
        reconciliation.reconcileDue();
        assertEquals(3, lookupsFor("+447400200020"));

        holds.hold(io.incidentcomms.audience.Channel.SMS, "test: the account was refused");
        clock.advance(Duration.ofMinutes(10));
        reconciliation.reconcileDue();
        assertEquals(3, lookupsFor("+447400200020"), "nothing is looked up while the SMS channel is held");

        asAdmin().post("/api/channels/sms/resume").then().statusCode(200);
        twilio.listUnavailable(false);
        planAndDispatch();
        assertEquals(4, lookupsFor("+447400200020"));
        assertEquals(List.of("SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200020"), "not found at Twilio: sent again, once");
    }

    long lookupsFor(String number) {
        return twilio.lookups().stream().filter(number::equals).count();
    }

    @Test
    void anUncertainSmsIsNotSentAgainBlindly() {
        subscriber("eve", "+447400200005");
        twilio.scriptFor("+447400200005", Answer.serverError());
        String key = declare();

        planAndDispatch();
        planAndDispatch();

        assertEquals(1, requestsFor("+447400200005"));
        assertTrue(states(key).contains("UNCERTAIN"), states(key).toString());
    }

    @Test
    void anUpdateToAThousandSubscribersEndsWithExactlyOneMessagePerContactPoint() throws Exception {
        String bigScope = "component:thousand-" + run;
        StringBuilder rows = new StringBuilder();
        List<String> emails = new java.util.ArrayList<>();
        List<String> phones = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // 400 by email only, 300 by SMS only, 300 by both
            String email = i < 400 || i >= 700 ? "k" + i + "." + run + "@example.com" : null;
            String phone = i >= 400 ? "+4474005" + String.format("%05d", i) : null;
            if (email != null) {
                emails.add(email);
            }
            if (phone != null) {
                phones.add(phone);
            }
            rows.append("{\"externalRef\": \"").append(run).append("-k").append(i).append("\", ")
                    .append(email == null ? "" : "\"email\": \"" + email + "\", ")
                    .append(phone == null ? "" : "\"phone\": \"" + phone + "\", \"smsConsent\": true, \"consentSource\": \"test\", ")
                    .append("\"tier\": \"priority\", \"subscriptions\": [\"").append(bigScope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import")
                .then().statusCode(200).body("imported", org.hamcrest.Matchers.is(1000));
        String key = asAdmin().body("""
                {"title": "Thousand %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Payments are down."}}""".formatted(run, bigScope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");

        planAndDispatch();

        java.util.Map<String, Long> emailsPerAddress = Arrays.stream(smtp.getReceivedMessages())
                .map(m -> { try { return ((InternetAddress) m.getAllRecipients()[0]).getAddress(); }
                    catch (Exception e) { throw new IllegalStateException(e); } })
                .filter(address -> address.contains(run))
                .collect(java.util.stream.Collectors.groupingBy(a -> a, java.util.stream.Collectors.counting()));
        assertEquals(new java.util.TreeSet<>(emails), new java.util.TreeSet<>(emailsPerAddress.keySet()));
        assertTrue(emailsPerAddress.values().stream().allMatch(n -> n == 1), "one email per address");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Long> notificationIds = ((List<Object[]>) QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("""
                        select cp.address, n.id from notification n join contact_point cp on cp.id = n.contact_point_id
                        join incident i on i.id = n.incident_id where i.incident_key = ?1 and n.channel = 'SMS'""")
                .setParameter(1, key).getResultList())).stream()
                .collect(java.util.stream.Collectors.toMap(r -> (String) r[0], r -> ((Number) r[1]).longValue()));
        List<java.util.Map<String, Object>> sms = twilio.created().stream()
                .filter(m -> phones.contains((String) m.get("to"))).toList();
        assertEquals(phones.size(), sms.size(), "one SMS per number");
        assertEquals(new java.util.TreeSet<>(phones), sms.stream().map(m -> (String) m.get("to"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        for (var message : sms) {
            assertTrue(((String) message.get("body")).contains("Payments are down."), (String) message.get("body"));
            assertTrue(((String) message.get("status_callback_for_test"))
                    .endsWith("/api/twilio/status?notification=" + notificationIds.get((String) message.get("to"))));
        }
        asAdmin().get("/api/incidents/" + key + "/summary").then().statusCode(200)
                .body("perChannel.email.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(700))
                .body("perChannel.sms.sent", org.hamcrest.Matchers.greaterThanOrEqualTo(600))
                .body("perChannel.email.planned", org.hamcrest.Matchers.is(0))
                .body("perChannel.sms.planned", org.hamcrest.Matchers.is(0));
    }

    /**
     * Declares an incident for which the subscriber is planned an SMS only, as where email is not
     * for everyone ({@code comms.audience.channels.email-for-everyone=false}), and sends it.
     */
    String declareAndSendBySmsOnly(String who) {
        String key = declare();
        while (planner.planBatch() > 0) {
            // planned by SMS and email
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                delete from notification where channel = 'EMAIL'
                  and subscriber_id = (select id from subscriber where external_ref = ?1)""")
                .setParameter(1, run + "-" + who).executeUpdate());
        planAndDispatch();
        return key;
    }

    @Test
    void anSmsThatFailsForGoodGoesByEmailInstead() {
        subscriber("ida", "+447400200009");
        twilio.scriptFor("+447400200009", Answer.error(400, 21211));

        String key = declareAndSendBySmsOnly("ida");

        assertEquals(1, requestsFor("+447400200009"), "an invalid number is not tried again");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.channel, n.state, n.fallback_of is not null from notification n join incident i on i.id = n.incident_id
                join subscriber s on s.id = n.subscriber_id where i.incident_key = ?1 and s.external_ref = ?2 order by n.id""")
                .setParameter(1, key).setParameter(2, run + "-ida").getResultList());
        assertEquals(List.of("SMS FAILED false", "EMAIL SENT true"),
                rows.stream().map(r -> r[0] + " " + r[1] + " " + r[2]).toList(), "the failed SMS is followed by one email");
        assertEquals(1, Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try { return ((InternetAddress) m.getAllRecipients()[0]).getAddress().equals("ida." + run + "@example.com"); }
            catch (Exception e) { throw new IllegalStateException(e); }
        }).count());
    }

    @Test
    void aRegionOurAccountMayNotReachFailsThatSmsWithoutMarkingTheNumberAndGoesByEmail() {
        subscriber("kai", "+447400200019");
        // 21408: "Permission to send an SMS has not been enabled for the region" — our account's setting
        twilio.scriptFor("+447400200019", Answer.error(400, 21408));

        String key = declareAndSendBySmsOnly("kai");

        asAdmin().get("/api/subscribers/" + run + "-kai").then().statusCode(200)
                .body("contactPoints.find { it.channel == 'sms' }.bouncedAt", org.hamcrest.Matchers.nullValue())
                .body("contactPoints.find { it.channel == 'sms' }.optedOutAt", org.hamcrest.Matchers.nullValue());
        asAdmin().get("/api/channels").then().statusCode(200)
                .body("find { it.channel == 'sms' }.held", org.hamcrest.Matchers.is(false));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.channel, n.state from notification n join incident i on i.id = n.incident_id
                join subscriber s on s.id = n.subscriber_id where i.incident_key = ?1 and s.external_ref = ?2 order by n.id""")
                .setParameter(1, key).setParameter(2, run + "-kai").getResultList());
        assertEquals(List.of("SMS FAILED", "EMAIL SENT"), rows.stream().map(r -> r[0] + " " + r[1]).toList());
    }

    @Test
    void aContactPointThatOptedOutAfterPlanningIsSuppressedNotSent() {
        subscriber("jon", "+447400200010");
        String key = declare();
        while (planner.planBatch() > 0) {
            // planned while still subscribed
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update contact_point set opted_out_at = now(), opted_out_via = 'STOP_REPLY'
                where subscriber_id = (select id from subscriber where external_ref = ?1)""")
                .setParameter(1, run + "-jon").executeUpdate());

        planAndDispatch();

        assertEquals(0, requestsFor("+447400200010"));
        assertEquals(List.of("SUPPRESSED", "SUPPRESSED"), states(key));
    }

    @Test
    void aThrottledSenderPausesAsAWholeWhileEmailGoesOn() {
        subscriber("kim", "+447400200011");
        subscriber("lou", "+447400200012");
        twilio.script(Answer.error(429, 20429), Answer.error(429, 20429));
        String key = declare();

        planAndDispatch();
        twilio.reset();
        planAndDispatch();

        assertEquals(0, twilio.requests().size(), "nothing reaches Twilio while the SMS sender is paused");
        assertEquals(List.of("SENT", "PLANNED", "SENT", "PLANNED"), states(key));
        TestClockProducer.testClock().advance(Duration.ofSeconds(31));
        planAndDispatch();
        assertEquals(1, createdFor("+447400200011"));
        assertEquals(1, createdFor("+447400200012"));
    }

    @Test
    void sendsArePacedToTheSendersRateAcrossWorkersThroughTheDatabase() {
        pacing.overrideRate(io.incidentcomms.audience.Channel.SMS, 5);
        List<java.time.Instant> slots = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slots.add(pacing.reserve(io.incidentcomms.audience.Channel.SMS, i == 4 ? 2 : 1).at());
        }
        for (int i = 1; i < slots.size(); i++) {
            long gap = Duration.between(slots.get(i - 1), slots.get(i)).toMillis();
            // five segments a second: 200 ms after a one-segment SMS, 400 ms after the two-segment one
            assertEquals(i == 5 ? 400 : 200, gap, 1, "gap before slot " + i);
        }
        // a 60 s lease: a worker may claim what fits into a third of it, less what is already reserved
        int budget = pacing.budget(io.incidentcomms.audience.Channel.SMS, 1000);
        assertTrue(budget >= 85 && budget <= 90, "budget " + budget);
        assertEquals(0, pacing.budget(io.incidentcomms.audience.Channel.EMAIL, 0));
        assertEquals(50, pacing.budget(io.incidentcomms.audience.Channel.EMAIL, 50), "email has no limit here");
    }

    @Test
    void aClaimWhoseWorkerDiedIsLookedUpOrSentAgainAfterItsLease() {
        subscriber("max", "+447400200013");
        String key = declare();
        while (planner.planBatch() > 0) {
            // planned
        }
        // a worker claimed both and died before it answered
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'SENDING', attempt_id = gen_random_uuid(), attempts = 1,
                    lease_until = now() - interval '1 second'
                where incident_id = (select id from incident where incident_key = ?1)""")
                .setParameter(1, key).executeUpdate());

        dispatcher.dispatchBatch();
        assertEquals(List.of("SENT", "UNCERTAIN"), states(key).stream().sorted().toList(),
                "the email goes again at once (at least once); the SMS waits for a look-up at Twilio");
        assertEquals(0, requestsFor("+447400200013"));
        planAndDispatch();
        TestClockProducer.testClock().advance(Duration.ofMinutes(1));
        planAndDispatch();

        assertEquals(List.of("SENT", "SENT"), states(key));
        assertEquals(1, createdFor("+447400200013"), "not at Twilio: sent once");
        @SuppressWarnings("unchecked")
        List<Number> uncertain = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                """
                select n.uncertain_attempts from notification n join subscriber s on s.id = n.subscriber_id
                where n.incident_id = (select id from incident where incident_key = ?1) and s.external_ref like ?2""")
                .setParameter(1, key).setParameter(2, run + "-%").getResultList());
        assertEquals(List.of(1, 1), uncertain.stream().map(Number::intValue).toList());
    }

    @Test
    void aProviderErrorThatEchoesTheNumberIsKeptMaskedAndForgottenOnErasure() {
        subscriber("eve", "+447400200009");
        twilio.scriptFor("+447400200009", Answer.error(400, 21211));
        String key = declare();

        planAndDispatch();

        String error = asAdmin().queryParam("channel", "sms").get("/api/incidents/" + key + "/deliveries").then()
                .extract().path("items.find { it.subscriber == '" + run + "-eve' }.lastError");
        assertTrue(error.contains("+44*******009") && !error.contains("+447400200009"), error);
        asAdmin().delete("/api/subscribers/" + run + "-eve").then().statusCode(204);
        long kept = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join incident i on i.id = n.incident_id
                where i.incident_key = ?1 and n.last_error is not null""").setParameter(1, key).getSingleResult()).longValue());
        assertEquals(0, kept, "the erased subscriber's errors are gone");
    }
}
