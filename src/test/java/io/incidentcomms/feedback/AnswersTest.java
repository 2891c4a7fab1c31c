package io.incidentcomms.feedback;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.Rabbit;
import io.incidentcomms.support.Signing;
import io.incidentcomms.support.TwilioStub;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What customers answer: an SMS option code after an update offering it, the rule when two open
 * incidents offer codes to one number, free replies, and the option links in emails.
 */
@QuarkusTest
class AnswersTest extends DeliveringTest {

    static final String INBOUND_URL = "http://localhost:8080/api/twilio/inbound";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:answers-" + run;
    String queue;

    @BeforeEach
    void listenToIncidentEvents() {
        queue = "test-answers-" + run;
        Rabbit.declareQueue(queue, "incident-events", "#");
        Smtp.purge();
    }

    @AfterEach
    void stopListening() {
        Rabbit.deleteQueue(queue);
    }

    ValidatableResponse reply(String from, String body) throws Exception {
        Map<String, String> form = Map.of("From", from, "To", "+15005550006", "Body", body, "MessageSid", "SM" + run);
        return asAnonymous().contentType(ContentType.URLENC).formParams(form)
                .header("X-Twilio-Signature", Signing.twilio(TwilioStub.AUTH_TOKEN, INBOUND_URL, form))
                .post("/api/twilio/inbound").then().statusCode(200);
    }

    void subscriber(String who, String phone, String email) {
        asAdmin().body("""
                {"externalRef": "%s-%s", %s %s "subscriptions": ["%s"]}"""
                .formatted(run, who, phone == null ? "" : "\"phone\": \"" + phone + "\", \"smsConsent\": true, \"consentSource\": \"test\",",
                        email == null ? "" : "\"email\": \"" + email + "\",", scope))
                .post("/api/subscribers").then().statusCode(201);
    }

    /** A major incident (SMS and email) offering "1 = pay by invoice" and "2 = still broken"; sent out. */
    String declareAndSend(String title, String extraScope) {
        String key = asAdmin().body("""
                {"title": "%s %s", "kind": "outage", "severity": "major", "scopes": ["%s"%s],
                 "explain": {"en": "Card payments fail."},
                 "options": [{"code": "1", "label": "Pay by invoice"},
                             {"code": "2", "label": "It still does not work for me", "stillAffected": true}]}"""
                .formatted(title, run, scope, extraScope == null ? "" : ", \"" + extraScope + "\""))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    List<JsonNode> events(String type, String key, int expected) {
        return Rabbit.awaitEvents(queue, e -> type.equals(e.path("type").asText()) && key.equals(e.path("incidentKey").asText()),
                expected);
    }

    @Test
    void anOptionCodeRepliedAfterAnUpdateOfferingItIsRecordedShownInTheSummaryAndPublished() throws Exception {
        subscriber("ann", "+447400410001", null);
        String key = declareAndSend("Answer", null);

        reply("+447400410001", " 1 ").body(Matchers.containsString("\": Pay by invoice."));

        asAdmin().get("/api/incidents/" + key + "/summary").then().statusCode(200)
                .body("answers.size()", Matchers.is(1))
                .body("answers[0].option", Matchers.is("1"))
                .body("answers[0].label", Matchers.is("Pay by invoice"))
                .body("answers[0].answers", Matchers.is(1))
                .body("stillAffected", Matchers.is(0));
        List<JsonNode> published = events("answer.recorded", key, 1);
        assertEquals(1, published.size());
        assertEquals(run + "-ann", published.get(0).path("data").path("subscriber").asText());
        assertEquals("1", published.get(0).path("data").path("option").asText());
        assertEquals("sms", published.get(0).path("data").path("channel").asText());
    }

    @Test
    void answeringAgainChangesTheAnswerAndAStillAffectedChoiceIsCounted() throws Exception {
        subscriber("bob", "+447400410002", null);
        String key = declareAndSend("Change", null);

        reply("+447400410002", "1");
        reply("+447400410002", "2").body(Matchers.containsString("\": It still does not work for me."));

        asAdmin().get("/api/incidents/" + key + "/summary").then()
                .body("answers.size()", Matchers.is(1))
                .body("answers[0].option", Matchers.is("2"))
                .body("answers[0].stillAffected", Matchers.is(true))
                .body("stillAffected", Matchers.is(1));
    }

    @Test
    void whenTwoOpenIncidentsOfferTheCodeTheReplyAsksWhichOneAndCodePlusKeyAnswersIt() throws Exception {
        subscriber("cat", "+447400410003", null);
        String first = declareAndSend("First", null);
        String second = declareAndSend("Second", "component:other-" + run);

        reply("+447400410003", "1").body(Matchers.containsString("Which incident do you mean?"))
                .body(Matchers.containsString("Reply 1 " + first + " for"))
                .body(Matchers.containsString("Reply 1 " + second + " for"));
        asAdmin().get("/api/incidents/" + first + "/summary").then().body("answers.size()", Matchers.is(0));
        asAdmin().get("/api/incidents/" + second + "/summary").then().body("answers.size()", Matchers.is(0));

        reply("+447400410003", "1 " + second.toLowerCase()).body(Matchers.containsString("We noted your choice"));
        asAdmin().get("/api/incidents/" + first + "/summary").then().body("answers.size()", Matchers.is(0));
        asAdmin().get("/api/incidents/" + second + "/summary").then().body("answers[0].answers", Matchers.is(1));
    }

    @Test
    void anythingElseIsStoredAsAFreeReplyAndPublished() throws Exception {
        subscriber("dan", "+447400410004", null);
        String key = declareAndSend("Free", null);

        reply("+447400410004", "My shop in Leeds cannot take cards either").body(Matchers.is(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"));
        reply("+447400410004", "9").body(Matchers.containsString("<Response/>"));

        asAdmin().get("/api/incidents/" + key + "/summary").then()
                .body("answers.size()", Matchers.is(0))
                .body("freeReplies", Matchers.is(2))
                .body("latestReplies.text", Matchers.containsInAnyOrder("9", "My shop in Leeds cannot take cards either"))
                .body("latestReplies[0].subscriber", Matchers.is(run + "-dan"));
        List<JsonNode> published = events("reply.received", key, 2);
        assertEquals(2, published.size());
        assertTrue(published.stream().anyMatch(e -> e.path("data").path("text").asText().contains("Leeds")));
    }

    @Test
    void anEmailOptionLinkOpenedByGetRecordsNothingAndThePostFromItsPageRecordsTheChoice() throws Exception {
        subscriber("eve", null, "eve." + run + "@example.com");
        String key = declareAndSend("Email answer", null);

        String html = GreenMailUtil.getBody(smtp.getReceivedMessagesForDomain("eve." + run + "@example.com")[0]);
        Matcher link = Pattern.compile("/self-service/answer\\?token=([^&\"]+)&(?:amp;)?option=1\"").matcher(
                html.replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), "the email carries the option link");
        String token = link.group(1);

        asAnonymous().queryParam("token", token).queryParam("option", "1").get("/self-service/answer").then()
                .statusCode(200).body(Matchers.containsString("Pay by invoice"))
                .body(Matchers.containsString("Confirm my choice"));
        asAdmin().get("/api/incidents/" + key + "/summary").then().body("answers.size()", Matchers.is(0));

        asAnonymous().contentType(ContentType.URLENC).formParam("token", token).formParam("option", "1")
                .post("/self-service/answer").then().statusCode(200).body(Matchers.containsString("We noted your choice"));
        asAdmin().get("/api/incidents/" + key + "/summary").then()
                .body("answers[0].option", Matchers.is("1"))
                .body("answers[0].answers", Matchers.is(1));
        assertEquals("email", events("answer.recorded", key, 1).get(0).path("data").path("channel").asText());
    }

    @Test
    void anOptionNoMessageOfferedOrATamperedTokenIsRefused() throws Exception {
        subscriber("fay", null, "fay." + run + "@example.com");
        declareAndSend("Refused", null);
        String html = GreenMailUtil.getBody(smtp.getReceivedMessagesForDomain("fay." + run + "@example.com")[0]);
        Matcher link = Pattern.compile("answer\\?token=([^&\"]+)&").matcher(html.replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find());
        String token = link.group(1);

        asAnonymous().contentType(ContentType.URLENC).formParam("token", token).formParam("option", "7")
                .post("/self-service/answer").then().statusCode(404)
                .contentType(Matchers.containsString("problem+json"));
        asAnonymous().contentType(ContentType.URLENC).formParam("token", token + "x").formParam("option", "1")
                .post("/self-service/answer").then().statusCode(401);
    }
}
