package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The link an SMS carries to its recipient's whole message: short, theirs only, gone when they are. */
@QuarkusTest
class ShortLinkTest extends DeliveringTest {

    static final Pattern LINK = Pattern.compile("(localhost:8080/m/([A-Za-z0-9]+))");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:short-" + run;

    @BeforeEach
    void drainEarlierWork() {
        planAndDispatch();
        twilio.reset();
    }

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
    }

    void subscriber(String who, String phone, String locale) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "phone": "%s", "smsConsent": true, "consentSource": "test", "locale": "%s",
                 "timeZone": "Europe/Berlin", "subscriptions": ["%s"]}""".formatted(run, who, phone, locale, scope))
                .post("/api/subscribers").then().statusCode(201);
    }

    /** The short link id in the SMS sent to a number. */
    String linkIdTo(String phone) {
        String body = twilio.created().stream().filter(m -> phone.equals(m.get("to"))).map(m -> (String) m.get("body"))
                .findFirst().orElseThrow();
        Matcher link = LINK.matcher(body);
        assertTrue(link.find(), "the SMS links the whole message: " + body);
        assertTrue(link.group(1).length() <= 30, "at most 30 characters: " + link.group(1));
        assertTrue(link.group(2).length() >= 8, "an id of at least 8 characters: " + link.group(2));
        return link.group(2);
    }

    String declareAndSend() {
        String key = asAdmin().body(io.incidentcomms.support.Api.declaration("Short " + run, "critical", scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    @Test
    void aShortLinkOpensTheWholeMessageForItsRecipientOnly() {
        subscriber("ann", "+447400800001", "en");
        subscriber("bea", "+447400800002", "de");
        declareAndSend();
        String annId = linkIdTo("+447400800001");
        String beaId = linkIdTo("+447400800002");
        assertNotEquals(annId, beaId);

        String ann = asAnonymous().accept(ContentType.HTML).get("/m/" + annId).then().statusCode(200)
                .header("Cache-Control", "no-store").header("Content-Language", "en")
                .body(containsString("Checkout fails for card payments.")).body(containsString("Pay by invoice"))
                .body(containsString("/self-service/answer?token=")).extract().asString();
        String bea = asAnonymous().accept(ContentType.HTML).get("/m/" + beaId).then().statusCode(200)
                .header("Content-Language", "de")
                .body(containsString("Die Kasse lehnt Kartenzahlungen ab.")).body(containsString("Auf Rechnung zahlen"))
                .body(not(containsString("Pay by invoice"))).extract().asString();
        assertNotEquals(token(ann), token(bea), "each page carries its recipient's own links");
    }

    @Test
    void someoneGuessingIdsIsStoppedAfterThirtyMissesAMinute() {
        TestClockProducer.testClock().advance(Duration.ofMinutes(10));
        for (int i = 0; i < 30; i++) {
            asAnonymous().get("/m/Guess" + String.format("%03d", i)).then().statusCode(404);
        }
        asAnonymous().accept(ContentType.HTML).get("/m/Guess999").then().statusCode(429)
                .contentType(containsString("text/html")).body(containsString("Too many requests"));
        TestClockProducer.testClock().advance(Duration.ofMinutes(1));
        asAnonymous().get("/m/Guess999").then().statusCode(404);
    }

    @Test
    void aGuessedIdIsNotFoundAndAnsweredWithAPage() {
        asAnonymous().accept(ContentType.HTML).get("/m/Zz9Yy8Xx").then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("Page not found"));
        asAnonymous().accept(ContentType.HTML).get("/m/short").then().statusCode(404)
                .contentType(containsString("text/html"));
    }

    @Test
    void aLinkEndsWithTheReplyWindowAndWithItsSubscriber() {
        subscriber("cid", "+447400800003", "en");
        subscriber("dot", "+447400800004", "en");
        declareAndSend();
        String expiring = linkIdTo("+447400800003");
        String erased = linkIdTo("+447400800004");

        asAdmin().delete("/api/subscribers/" + run + "-dot").then().statusCode(204);
        asAnonymous().accept(ContentType.HTML).get("/m/" + erased).then().statusCode(404);
        assertEquals(0L, ((Number) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select count(*) from short_link where id = ?1").setParameter(1, erased)
                .getSingleResult())).longValue(), "the link is deleted, not hidden");

        TestClockProducer.testClock().advance(Duration.ofDays(8));
        asAnonymous().accept(ContentType.HTML).get("/m/" + expiring).then().statusCode(410)
                .contentType(containsString("text/html")).body(containsString("This message is no longer here"));
    }

    private static String token(String page) {
        Matcher token = Pattern.compile("token=([^&\"]+)").matcher(page);
        assertTrue(token.find(), "the page links the recipient's answers");
        return token.group(1);
    }
}
