package io.incidentcomms.message;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Signing;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.TwilioStub;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;

/**
 * The cases a new user found broken, each reproduced through the API and the real channels:
 * what customers read is whole, in one language, and its options keep working.
 */
@QuarkusTest
class WholeMessagesTest extends DeliveringTest {

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:whole-" + run;

    @BeforeEach
    void drainEarlierWork() {
        planAndDispatch();
        twilio.reset();
        Smtp.purge();
    }

    String email(String who) {
        return who + "." + run + "@example.com";
    }

    void subscriber(String who, String phone, String locale) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "email": "%s", %s "locale": "%s", "timeZone": "Europe/London",
                 "channelPreference": ["%s"], "subscriptions": ["%s"]}"""
                .formatted(run, who, email(who), phone == null ? "" : "\"phone\": \"" + phone
                        + "\", \"smsConsent\": true, \"consentSource\": \"test\",", locale,
                        phone == null ? "email" : "sms", scope))
                .post("/api/subscribers").then().statusCode(201);
    }

    JsonPath declare(String body) {
        return asAdmin().body(body).post("/api/incidents").then().statusCode(201).extract().jsonPath();
    }

    String smsTo(String phone) {
        List<String> bodies = twilio.created().stream().filter(m -> phone.equals(m.get("to")))
                .map(m -> (String) m.get("body")).toList();
        assertEquals(1, bodies.size(), "one SMS to " + phone + ": " + bodies);
        return bodies.get(0);
    }

    @Test
    void aTwoOptionSmsNamesBothOptionsAndLinksTheWholeMessage() {
        subscriber("ada", "+447400700001", "en");
        subscriber("bea", "+447400700002", "de");
        JsonPath declared = declare("""
                {"title": {"en": "Deliveries delayed in western Europe", "de": "Lieferungen in Westeuropa verspätet"},
                 "kind": "delay", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "A sorting centre outage delays deliveries in western Europe by up to two days.",
                             "de": "Ein Ausfall im Sortierzentrum verzögert Lieferungen in Westeuropa um bis zu zwei Tage."},
                 "options": [{"code": "1", "label": {"en": "Reschedule the delivery", "de": "Lieferung neu planen"}},
                             {"code": "2", "label": {"en": "Collect from a pickup point", "de": "An einer Abholstelle holen"}}]}"""
                .formatted(scope));
        assertEquals("full", declared.getString("review.renderings.find { it.channel == 'sms' && it.locale == 'en' }.form"));

        planAndDispatch();

        String english = smsTo("+447400700001");
        assertTrue(english.contains("A sorting centre outage delays deliveries"), "the facts: " + english);
        assertTrue(english.contains("1 = Reschedule the delivery, 2 = Collect from a pickup point"), english);
        assertTrue(english.contains("Reply 1 or 2."), "how to answer: " + english);
        assertTrue(english.matches(".*Details: localhost:8080/m/[A-Za-z0-9]{8} .*"), "the link to the whole message: " + english);
        String german = smsTo("+447400700002");
        assertTrue(german.contains("Ein Ausfall im Sortierzentrum") && german.contains("1 = Lieferung neu planen")
                && german.contains("Antworten Sie mit 1 oder 2."), german);
    }

    @Test
    void anEmailOptionLinkStillWorksAfterAnUpdateWithoutOptionsAndThatUpdateRepeatsThem() {
        subscriber("cal", null, "en");
        declare(io.incidentcomms.support.Api.declaration("Links " + run, "major", scope));
        planAndDispatch();
        String firstLink = optionLink(Smtp.to(email("cal")).get(0), "1");

        asAdmin().body("{\"explain\": {\"en\": \"We found the cause and expect a fix by 16:00.\"}}")
                .post("/api/incidents/" + keyOf() + "/updates").then().statusCode(201)
                .body("options.code", org.hamcrest.Matchers.contains("1", "REFUND"));
        planAndDispatch();

        String update = Smtp.text(Smtp.to(email("cal")).get(1));
        assertTrue(update.contains("Pay by invoice") && update.contains("option=REFUND"), "the update offers them again: "
                + update);
        assertFalse(update.contains("nothing you need to do"), update);
        asAnonymous().accept(ContentType.HTML).get(Smtp.path(firstLink)).then().statusCode(200)
                .body(containsString("Pay by invoice")).body(containsString("Confirm my choice"));
        String token = firstLink.replaceAll(".*token=([^&]+)&.*", "$1");
        asAnonymous().contentType(ContentType.URLENC).formParam("token", java.net.URLDecoder.decode(token,
                java.nio.charset.StandardCharsets.UTF_8)).formParam("option", "1").post("/self-service/answer").then()
                .statusCode(200).body(containsString("We noted your choice"));
        asAdmin().get("/api/incidents/" + keyOf() + "/summary").then().body("answers[0].option", is("1"));
    }

    @Test
    void aWithdrawnOptionsLinkShowsAPageAndAnSmsReplyHearsWhatIsOpenNow() throws Exception {
        subscriber("dee", "+447400700004", "en");
        subscriber("eli", null, "en");
        declare(io.incidentcomms.support.Api.declaration("Withdrawn " + run, "critical", scope));
        planAndDispatch();
        String link = optionLink(Smtp.to(email("eli")).get(0), "REFUND");

        asAdmin().body("{\"explain\": {\"en\": \"Refunds are no longer needed: orders go through again.\"},"
                + " \"options\": [{\"code\": \"3\", \"label\": \"Retry your order now\"}]}")
                .post("/api/incidents/" + keyOf() + "/updates").then().statusCode(201);

        asAnonymous().accept(ContentType.HTML).get(Smtp.path(link)).then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("This option is no longer offered"))
                .body(containsString("Retry your order now"))
                .body(containsString("option=3"));
        Map<String, String> form = Map.of("From", "+447400700004", "To", "+15005550006", "Body", "REFUND", "MessageSid",
                "SM" + run);
        asAnonymous().contentType(ContentType.URLENC).formParams(form)
                .header("X-Twilio-Signature", Signing.twilio(TwilioStub.AUTH_TOKEN,
                        "http://localhost:8080/api/twilio/inbound", form))
                .post("/api/twilio/inbound").then().statusCode(200)
                .body(containsString("Option REFUND for \"Withdrawn " + run + "\" is no longer offered."))
                .body(containsString("You can choose: 3 = Retry your order now."));
        asAdmin().get("/api/incidents/" + keyOf() + "/summary").then().body("answers.size()", is(0));

        asAdmin().body("{\"explain\": {\"en\": \"All options are closed.\"}, \"options\": []}")
                .post("/api/incidents/" + keyOf() + "/updates").then().statusCode(201);
        planAndDispatch();
        String last = Smtp.text(Smtp.to(email("eli")).get(Smtp.to(email("eli")).size() - 1));
        assertTrue(last.contains("There is nothing you need to do right now."), "only when nothing is open: " + last);
    }

    @Test
    void aGermanRecipientWithNoGermanTextGetsAWholeEnglishMessageAndPublishingSaysSo() {
        subscriber("fay", null, "de");
        JsonPath declared = declare("""
                {"title": "Checkout is down", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail at checkout since 09:40."},
                 "options": [{"code": "1", "label": "Pay by invoice"}]}""".formatted(scope));
        assertTrue(declared.getLong("review.fallbackRecipients") >= 1, declared.prettify());
        assertEquals(Boolean.TRUE, declared.get("review.renderings.find { it.channel == 'email' && it.locale == 'de' }.fallback"));
        assertTrue(declared.getList("warnings", String.class).stream().anyMatch(w -> w.startsWith("email in de (")
                && w.contains("written in en, since there is no explain, option 1 label in de")), declared.getString("warnings"));

        planAndDispatch();

        MimeMessage mail = Smtp.to(email("fay")).get(0);
        String text = Smtp.text(mail);
        assertEquals("Status: Checkout is down", Smtp.subject(mail));
        assertTrue(text.startsWith("Service disruption: Checkout is down"), text);
        assertTrue(text.contains("Here is what you can do now:") && text.contains("Reference: INC-"), text);
        for (String german : List.of("Referenz", "Einstellungen", "Das können", "Möglichkeit", "Update kommt")) {
            assertFalse(text.contains(german), "no German in an English message: " + german + "\n" + text);
        }
    }

    @Test
    void thePlainTextEmailListsEachOptionWithItsLinkTheReferenceAndTheSettingsLink() {
        subscriber("gil", null, "en");
        String key = declare(io.incidentcomms.support.Api.declaration("Plain " + run, "minor", scope)).getString("key");
        planAndDispatch();

        String text = Smtp.text(Smtp.to(email("gil")).get(0));
        assertTrue(text.matches("(?s).*\\n1\\. Pay by invoice\\n\\s+http://localhost:8080/self-service/answer\\?token=\\S+&option=1\\n.*"),
                text);
        assertTrue(text.matches("(?s).*\\n2\\. Ask for a refund\\n\\s+http://localhost:8080/self-service/answer\\?token=\\S+&option=REFUND\\n.*"),
                text);
        assertTrue(text.contains("Reference: " + key), text);
        assertTrue(text.contains("Follow this incident online: http://localhost:8080/incidents/" + key), text);
        assertTrue(text.matches("(?s).*Your settings and unsubscribing: http://localhost:8080/self-service\\?token=\\S+.*"), text);
        assertEquals(4, Smtp.links(text).size(), "two options, the incident's page and the settings: " + text);
    }

    @Test
    void theResolvedSmsSaysWhatIsResolvedInAWholeSentence() {
        subscriber("hal", "+447400700008", "en");
        String key = declare("""
                {"title": "Checkout is down", "kind": "outage", "severity": "critical", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail."}}""".formatted(scope)).getString("key");
        planAndDispatch();
        twilio.reset();

        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"" + "Payments work again everywhere. ".repeat(16)
                + "\"}}").post("/api/incidents/" + key + "/updates").then().statusCode(201)
                .body("review.renderings.find { it.channel == 'sms' && it.locale == 'en' }.form", is("short-form"))
                .body("warnings", hasItem(containsString("only the short form fits")));
        planAndDispatch();

        String sms = smsTo("+447400700008");
        assertTrue(sms.startsWith("Status: The problem \"Checkout is down\" is resolved. Details: localhost:8080/m/"), sms);
        assertFalse(sms.contains("is down is resolved"), sms);
    }

    @Test
    void publishingCountsTheRecipientsOfEachLanguageAndChannel() {
        subscriber("ivy", null, "fr");
        subscriber("jon", "+447400700010", "de");
        JsonPath declared = declare(io.incidentcomms.support.Api.declaration("Counted " + run, "critical", scope));
        assertTrue(declared.getLong("review.renderings.find { it.channel == 'email' && it.locale == 'fr' }.recipients") >= 1);
        assertEquals(Boolean.TRUE, declared.get("review.renderings.find { it.channel == 'email' && it.locale == 'fr' }.fallback"));
        assertTrue(declared.getLong("review.renderings.find { it.channel == 'sms' && it.locale == 'de' }.recipients") >= 1);
        assertEquals(Boolean.FALSE, declared.get("review.renderings.find { it.channel == 'sms' && it.locale == 'de' }.fallback"));
        assertEquals("GSM-7", declared.getString("review.renderings.find { it.channel == 'sms' && it.locale == 'de' }.encoding"));
        assertTrue(declared.getLong("review.fallbackRecipients") >= 1);
    }

    private String keyOf() {
        return asAdmin().get("/api/incidents?scope=" + scope).then().extract().path("items[0].key");
    }

    private static String optionLink(MimeMessage mail, String code) {
        return Smtp.links(Smtp.text(mail)).stream().filter(l -> l.endsWith("&option=" + code)).findFirst()
                .orElseThrow(() -> new AssertionError("no link for option " + code + " in " + Smtp.text(mail)));
    }

    @Test
    void aResolutionThatNamesNoOptionsWithdrawsThem() {
        subscriber("kai", "+447400700011", "en");
        String key = declare(io.incidentcomms.support.Api.declaration("Closing " + run, "critical", scope)).getString("key");
        planAndDispatch();
        twilio.reset();

        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed at 11:00.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201).body("options.size()", is(0));
        planAndDispatch();

        String sms = smsTo("+447400700011");
        assertFalse(sms.contains("Options:") || sms.contains("Reply 1"), sms);
        asAdmin().get("/api/incidents/" + key).then().body("options.size()", is(0));
    }

    @Test
    void anOptionCodeKeepsItsMeaningAndRepeatedOptionsNeedTheUpdatesLanguage() {
        String key = declare("""
                {"title": "Meaning %s", "kind": "outage", "severity": "minor", "scopes": ["%s"], "defaultLocale": "de",
                 "explain": {"de": "Die Kasse streikt."}, "options": [{"code": "1", "label": "Auf Rechnung zahlen"}]}"""
                .formatted(run, scope)).getString("key");
        asAdmin().body("{\"explain\": {\"de\": \"Neu.\"}, \"options\": [{\"code\": \"1\", \"label\": \"Erstattung\"}]}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(400)
                .body("errors[0].field", is("options[0].code"));
        asAdmin().body("{\"explain\": {\"en\": \"In English only.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(400)
                .body("errors[0].field", is("options"));
        asAdmin().body("{\"explain\": {\"de\": \"Weiter so.\"}, \"options\": [{\"code\": \"1\", \"label\": \"Auf Rechnung zahlen\"}]}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
    }
}
