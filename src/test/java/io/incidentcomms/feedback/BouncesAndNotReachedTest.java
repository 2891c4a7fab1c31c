package io.incidentcomms.feedback;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.Api;
import io.incidentcomms.support.TwilioStub.Answer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.internet.MimeMessage;

/** Bounce reports from the mail relay, and the list of recipients no channel reached. */
@QuarkusTest
class BouncesAndNotReachedTest extends DeliveringTest {

    static RequestSpecification relay;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:bounces-" + run;

    @BeforeEach
    void integrationKey() {
        twilio.reset();
        relay = Api.as("integration");
        Smtp.purge();
    }

    void subscriber(String who, String phone) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "name": "%s Example", "email": "%s.%s@example.com", %s "subscriptions": ["%s"]}"""
                .formatted(run, who, who, who, run,
                        phone == null ? "" : "\"phone\": \"" + phone + "\", \"smsConsent\": true, \"consentSource\": \"test\",",
                        scope))
                .post("/api/subscribers").then().statusCode(201);
    }

    String declareAndSend(String severity) {
        String key = asAdmin().body(Api.declaration("Bounces " + run, severity, scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    MimeMessage emailTo(String who) {
        MimeMessage[] received = smtp.getReceivedMessagesForDomain(who + "." + run + "@example.com");
        assertEquals(1, received.length, "one email to " + who);
        return received[0];
    }

    long notificationsTo(String who) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join contact_point cp on cp.id = n.contact_point_id
                where cp.address = ?1""").setParameter(1, who + "." + run + "@example.com").getSingleResult()).longValue());
    }

    @Test
    void aBounceReportMarksTheAddressBouncedFailsTheNotificationAndTheNextUpdateSkipsIt() throws Exception {
        subscriber("ann", null);
        subscriber("bob", null);
        String key = declareAndSend("minor");
        String messageId = emailTo("ann").getMessageID();
        String notification = emailTo("ann").getHeader(EmailSender.NOTIFICATION_HEADER)[0];

        relay.body("""
                {"messageId": "%s", "kind": "hard", "status": "5.1.1", "diagnostic": "user unknown"}""".formatted(messageId))
                .post("/api/bounces").then().statusCode(200)
                .body("notificationId", Matchers.is(Integer.parseInt(notification)))
                .body("applied", Matchers.is(true));

        asAdmin().get("/api/subscribers/" + run + "-ann").then()
                .body("contactPoints.find { it.channel == 'email' }.bouncedAt", Matchers.notNullValue());
        asAdmin().get("/api/subscribers/" + run + "-bob").then()
                .body("contactPoints.find { it.channel == 'email' }.bouncedAt", Matchers.nullValue());
        asAdmin().queryParam("status", "failed").get("/api/incidents/" + key + "/deliveries").then()
                .body("items.size()", Matchers.is(1))
                .body("items[0].subscriber", Matchers.is(run + "-ann"))
                .body("items[0].lastError", Matchers.containsString("5.1.1"));

        asAdmin().body("{\"explain\": {\"en\": \"Still fixing\"}}").post("/api/incidents/" + key + "/updates").then()
                .statusCode(201);
        planAndDispatch();
        assertEquals(1, notificationsTo("ann"), "the bounced address is skipped");
        assertEquals(2, notificationsTo("bob"));
    }

    @Test
    void aSoftBounceOrAReturnPathOfAnotherServiceChangesNothing() throws Exception {
        subscriber("cat", null);
        declareAndSend("minor");
        String notification = emailTo("cat").getHeader(EmailSender.NOTIFICATION_HEADER)[0];

        relay.body("""
                {"returnPath": "bounces+n%s@status.example.com", "kind": "soft", "status": "4.2.2"}""".formatted(notification))
                .post("/api/bounces").then().statusCode(200).body("applied", Matchers.is(false));
        relay.body("{\"returnPath\": \"someone@elsewhere.example.com\"}").post("/api/bounces").then().statusCode(400)
                .contentType(Matchers.containsString("problem+json"))
                .body("errors[0].field", Matchers.is("returnPath"));
        asAdmin().get("/api/subscribers/" + run + "-cat").then()
                .body("contactPoints.find { it.channel == 'email' }.bouncedAt", Matchers.nullValue());
    }

    @Test
    void onlyTheMailRelaysKeyMayReportBounces() {
        asAnonymous().contentType("application/json").body("{\"notificationId\": 1}").post("/api/bounces").then()
                .statusCode(401);
        Api.as("ops").body("{\"notificationId\": 1}").post("/api/bounces").then().statusCode(403);
    }

    @Test
    void theNotReachedListHoldsExactlyTheRecipientWhoseSmsFailedForGoodAndWhoseEmailBounced() throws Exception {
        subscriber("amy", "+447400510001");
        subscriber("zed", "+447400510002");
        twilio.scriptFor("+447400510002", Answer.error(400, 21211));
        String key = declareAndSend("major");
        String zedNotification = emailTo("zed").getHeader(EmailSender.NOTIFICATION_HEADER)[0];
        relay.body("{\"notificationId\": %s, \"status\": \"5.1.1\"}".formatted(zedNotification)).post("/api/bounces")
                .then().statusCode(200);

        asAdmin().get("/api/incidents/" + key + "/summary").then().statusCode(200)
                .body("notReached", Matchers.is(1))
                .body("notReachedSample.subscriber", Matchers.contains(run + "-zed"));
        asAdmin().get("/api/incidents/" + key + "/not-reached").then().statusCode(200)
                .body("subscriber", Matchers.contains(run + "-zed"))
                .body("[0].phone", Matchers.is("+447400510002"))
                .body("[0].email", Matchers.is("zed." + run + "@example.com"))
                .body("[0].reasons", Matchers.allOf(Matchers.containsString("21211"), Matchers.containsString("5.1.1")));

        String csv = asAdmin().accept("text/csv").get("/api/incidents/" + key + "/not-reached").then().statusCode(200)
                .contentType(Matchers.containsString("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals(2, lines.size(), csv);
        assertEquals("subscriber,name,email,phone,updateSeq,reasons", lines.get(0));
        // a cell a spreadsheet would run as a formula (+44..., =..., @...) is kept as text with a leading quote
        assertTrue(lines.get(1).startsWith(run + "-zed,\"zed Example\",zed." + run + "@example.com,\"'+447400510002\",1,"),
                lines.get(1));
    }

    @Test
    void theWholeNotReachedListIsWrittenWhileItIsReadNotGatheredFirst() throws Exception {
        int subscribers = 20_000;
        String scope = "component:unreached-" + run;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < subscribers; i++) {
            rows.append("{\"externalRef\": \"").append(run).append("-u").append(i).append("\", \"email\": \"u").append(i)
                    .append('.').append(run).append("@example.com\", \"subscriptions\": [\"").append(scope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import").then()
                .statusCode(200).body("imported", Matchers.is(subscribers));
        String key = asAdmin().body(Api.declaration("Unreached " + run, "minor", scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        while (planner.planBatch() > 0) {
            // planned; none is sent: every one fails below, as if the relay refused them all
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'FAILED', last_error = 'SMTP 550 5.1.1 unknown user'
                where incident_id = (select id from incident where incident_key = ?1)""").setParameter(1, key).executeUpdate());

        java.net.HttpURLConnection list = (java.net.HttpURLConnection) java.net.URI
                .create("http://localhost:" + io.restassured.RestAssured.port + "/api/incidents/" + key + "/not-reached")
                .toURL().openConnection();
        list.setRequestProperty("Authorization", "Bearer " + Api.ADMIN_KEY);
        list.setRequestProperty("Accept", "application/json");
        try (java.io.InputStream body = list.getInputStream()) {
            byte[] start = body.readNBytes(1024);
            assertTrue(new String(start, java.nio.charset.StandardCharsets.UTF_8).startsWith("[{"));
            // the reader is slow: the service waits to write more, with its query's cursor still open
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            boolean cursorOpen = false;
            while (!cursorOpen && System.nanoTime() < deadline) {
                // between fetches the cursor's session is idle in its transaction; while the
                // database still sends a fetch it is active: either way, the list is being read
                cursorOpen = QuarkusTransaction.requiringNew().call(() -> (Boolean) em.createNativeQuery("""
                        select exists (select 1 from pg_stat_activity where pid <> pg_backend_pid()
                                       and state in ('idle in transaction', 'active') and query like 'with incident as%')""")
                        .getSingleResult());
                Thread.sleep(100);
            }
            assertTrue(cursorOpen, "the list is still being read from the database while its start is written");
            JsonPath whole = JsonPath.from(new String(start, java.nio.charset.StandardCharsets.UTF_8)
                    + new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            List<String> ours = whole.<String>getList("subscriber").stream().filter(ref -> ref.startsWith(run + "-u")).toList();
            assertEquals(subscribers, ours.size());
            assertEquals(ours.stream().sorted().toList(), ours, "in subscriber order");
        }
        String csv = asAdmin().accept("text/csv").get("/api/incidents/" + key + "/not-reached").then().statusCode(200)
                .extract().asString();
        assertEquals(subscribers, csv.lines().filter(line -> line.startsWith(run + "-u")).count());
    }
}
