package io.incidentcomms.feedback.emailevents;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.ContactPoint;
import io.incidentcomms.support.EmailProviderSigning;
import io.incidentcomms.support.Fixtures;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Bounces and complaints reported by Amazon SES (through SNS), SendGrid and Postmark, from the
 * payloads their documentation shows: a complaint opts the address out of email at once, a hard
 * bounce marks it bounced, soft bounces count, and a forged SNS or SendGrid signature is refused.
 */
@QuarkusTest
class EmailProviderEventsTest {

    static EmailProviderSigning signing;

    @BeforeAll
    static void startSns() throws Exception {
        signing = new EmailProviderSigning();
    }

    @AfterAll
    static void stopSns() {
        signing.close();
    }

    final String run = UUID.randomUUID().toString().substring(0, 8);

    String subscriber(String who) {
        String email = who + "-" + run + "@example.com";
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s", "subscriptions": ["component:mail-%s"]}"""
                .formatted(who, run, email, run)).post("/api/subscribers").then().statusCode(201);
        return email;
    }

    static ContactPoint emailOf(String address) {
        return QuarkusTransaction.requiringNew().call(() -> ContactPoint.<ContactPoint>find("channel = ?1 and address = ?2",
                Channel.EMAIL, address).firstResult());
    }

    ValidatableResponse postSns(String fixture, String email) throws Exception {
        String body = signing.snsMessage("ses/" + fixture, email == null ? Map.of() : Map.of("email", email));
        return given().contentType("text/plain; charset=UTF-8").body(body).post("/api/email-events/ses").then();
    }

    ValidatableResponse postSendGrid(String body, String timestamp, String signature) {
        return given().contentType("application/json").header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                .header("X-Twilio-Email-Event-Webhook-Signature", signature).body(body).post("/api/email-events/sendgrid")
                .then();
    }

    ValidatableResponse postPostmark(String fixture, String email, String password) {
        return postPostmark(fixture, Map.of("email", email), password);
    }

    ValidatableResponse postPostmark(String fixture, Map<String, String> values, String password) {
        return given().contentType("application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("postmark:" + password).getBytes()))
                .body(Fixtures.read("postmark/" + fixture, values)).post("/api/email-events/postmark").then();
    }

    static String now() {
        return String.valueOf(TestClockProducer.testClock().instant().getEpochSecond());
    }

    @Test
    void sesPermanentBounceMarksTheAddressBouncedAndAComplaintOptsItOut() throws Exception {
        String bounced = subscriber("ses-bounce");
        postSns("bounce-permanent.json", bounced).statusCode(200).body("results[0].kind", is("hard-bounce"))
                .body("results[0].outcome", is("bounced"));
        assertNotNull(emailOf(bounced).bouncedAt);

        String complaining = subscriber("ses-complaint");
        postSns("complaint.json", complaining).statusCode(200).body("results[0].outcome", is("opted-out"));
        ContactPoint point = emailOf(complaining);
        assertNotNull(point.optedOutAt);
        assertEquals("COMPLAINT", point.optedOutVia);
        assertNull(point.bouncedAt);
    }

    @Test
    void aForgedSnsMessageIsRefusedAndNothingChanges() throws Exception {
        String email = subscriber("ses-forged");
        String genuine = signing.snsMessage("ses/complaint.json", Map.of("email", email));
        String forged = genuine.replace("complaintFeedbackType", "complaintFeedbackKind");
        given().contentType("text/plain").body(forged).post("/api/email-events/ses").then().statusCode(401);
        String elsewhere = genuine.replaceAll("http://127[.]0[.]0[.]1:[0-9]+/SimpleNotificationService",
                "https://attacker.example.com/SimpleNotificationService");
        given().contentType("text/plain").body(elsewhere).post("/api/email-events/ses").then().statusCode(401);
        String withAQuery = genuine.replace(".pem\"", ".pem?again=1\"");
        org.junit.jupiter.api.Assertions.assertNotEquals(genuine, withAQuery);
        given().contentType("text/plain").body(withAQuery).post("/api/email-events/ses").then().statusCode(401);
        String otherTopic = genuine.replace("arn:aws:sns:us-west-2:123456789012:MyTopic", "arn:aws:sns:us-west-2:9:Other");
        given().contentType("text/plain").body(otherTopic).post("/api/email-events/ses").then().statusCode(403);
        assertNull(emailOf(email).optedOutAt, "a refused message opts nobody out");
    }

    @Test
    void anSnsSubscriptionIsConfirmedAtTheAddressItGives() throws Exception {
        postSns("subscription-confirmation.json", null).statusCode(200).body("subscriptionConfirmed", is(true));
        assertTrue(signing.confirmations().contains("Token=test-token"), signing.confirmations().toString());
    }

    @Test
    void sendGridEventsBounceAndOptOutTheirAddressesAndAForgedSignatureIsRefused() throws Exception {
        String email = subscriber("sendgrid");
        String body = Fixtures.read("sendgrid/events.json", Map.of("email", email));
        String timestamp = now();

        postSendGrid(body, timestamp, EmailProviderSigning.sendGridSignature(timestamp, body.replace("bounce", "bounced")))
                .statusCode(401);
        postSendGrid(body, String.valueOf(Long.parseLong(timestamp) - 3600),
                EmailProviderSigning.sendGridSignature(String.valueOf(Long.parseLong(timestamp) - 3600), body))
                .statusCode(401);
        assertNull(emailOf(email).bouncedAt, "a refused post changes nothing");

        postSendGrid(body, timestamp, EmailProviderSigning.sendGridSignature(timestamp, body)).statusCode(200)
                .body("results.kind", hasItem("hard-bounce")).body("results.kind", hasItem("complaint"));
        ContactPoint point = emailOf(email);
        assertNotNull(point.bouncedAt, "the bounce of type bounce is hard");
        assertNotNull(point.optedOutAt, "the spam report opts out");
    }

    @Test
    void postmarkHardBounceAndComplaintAreAppliedAndSoftBouncesCountUntilTheLimit() {
        String hard = subscriber("postmark-hard");
        postPostmark("bounce-hard.json", hard, "wrong-password").statusCode(401);
        postPostmark("bounce-hard.json", hard, "postmark-test-password").statusCode(200)
                .body("results[0].outcome", is("bounced"));
        assertNotNull(emailOf(hard).bouncedAt);

        String complaining = subscriber("postmark-complaint");
        postPostmark("spam-complaint.json", complaining, "postmark-test-password").statusCode(200)
                .body("results[0].outcome", is("opted-out"));
        assertNotNull(emailOf(complaining).optedOutAt);

        String soft = subscriber("postmark-soft");
        for (int i = 1; i < 5; i++) {
            postPostmark("bounce-soft.json", Map.of("email", soft, "id", String.valueOf(i)), "postmark-test-password")
                    .statusCode(200).body("results[0].outcome", is("counted"));
        }
        postPostmark("bounce-soft.json", Map.of("email", soft, "id", "4"), "postmark-test-password").statusCode(200)
                .body("results[0].outcome", is("duplicate"));
        assertNull(emailOf(soft).bouncedAt, "four soft bounces (one of them delivered twice) are not yet a bounce");
        assertEquals(4, emailOf(soft).softBounces);
        postPostmark("bounce-soft.json", Map.of("email", soft, "id", "5"), "postmark-test-password").statusCode(200)
                .body("results[0].outcome", is("bounced"));
        assertNotNull(emailOf(soft).bouncedAt, "the fifth in a row is");
    }

    @Test
    void aProviderNotConfiguredIsNotFound() {
        given().contentType("application/json").body("[]").post("/api/email-events/mailgun").then().statusCode(404);
    }
}
