package io.incidentcomms.statuspage.signup;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Signing up from the status page without an account: confirmed by a link (email) or a code
 * (SMS), answered alike whether or not the address is known, and limited per visitor.
 */
@QuarkusTest
class SignupTest extends DeliveringTest {

    static final Pattern CONFIRM_LINK = Pattern.compile("https?://\\S+/subscribe/confirm\\?token=\\S+");
    static final Pattern CODE = Pattern.compile("your code is (\\d{6})");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String checkout = "component:signup-checkout-" + run;
    final String search = "component:signup-search-" + run;
    /** Each test is a visitor of its own (an address of the documentation range), as the limits count per visitor. */
    final String visitor = "2001:db8::" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000)) + ":"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));

    @BeforeEach
    void catalogAndQuietChannels() {
        asAdmin().body("{\"names\": {\"en\": \"Checkout " + run + "\"}, \"group\": \"Shop " + run + "\"}")
                .put("/api/components/" + checkout).then().statusCode(200);
        asAdmin().body("{\"names\": {\"en\": \"Search " + run + "\"}, \"group\": \"Shop " + run + "\"}")
                .put("/api/components/" + search).then().statusCode(200);
        planAndDispatch();
        twilio.reset();
    }

    String address(String who) {
        return who + "." + run + "@signup.example.com";
    }

    static String number() {
        return "+4474009" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
    }

    Response signUp(Map<String, ?> form) {
        return given().header("X-Forwarded-For", visitor).header("Accept-Language", "en").formParams(form)
                .post("/subscribe");
    }

    String confirmationLink(String address) {
        List<String> links = Smtp.to(address).stream().map(Smtp::text).flatMap(t -> Smtp.links(t).stream())
                .filter(l -> CONFIRM_LINK.matcher(l).matches()).toList();
        assertEquals(1, links.size(), "one confirmation link for " + address);
        return Smtp.path(links.get(0));
    }

    String codeSentTo(String number) {
        String body = twilio.created().stream().filter(m -> number.equals(m.get("to"))).map(m -> (String) m.get("body"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no SMS to " + number));
        Matcher code = CODE.matcher(body);
        assertTrue(code.find(), "the SMS has the code: " + body);
        return code.group(1);
    }

    String signupIdIn(String page) {
        Matcher id = Pattern.compile("name=\"signup\" value=\"([0-9a-f-]{36})\"").matcher(page);
        assertTrue(id.find(), "the check page carries the sign-up for the code form");
        return id.group(1);
    }

    String declare(String title, String scope) {
        String key = asAdmin().body(io.incidentcomms.support.Api.declaration(title, "major", scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    @Test
    void anEmailSignUpIsConfirmedByTheButtonBehindTheLinkAndHearsOnlyAboutItsComponent() {
        String ann = address("ann");
        signUp(Map.of("email", ann, "scope", checkout)).then().statusCode(200).header("Cache-Control", "no-store")
                .body(containsString("If " + ann + " can be subscribed, an email with a confirmation link is on its way"));
        String link = confirmationLink(ann);

        // opening the link (as a mail scanner would) confirms nothing: the page's button does
        given().get(link).then().statusCode(200).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").body(allOf(containsString(ann), containsString("<button")));
        declare("Before confirming " + run, checkout);
        assertEquals(1, Smtp.to(ann).size(), "nothing but the confirmation before the button is pressed");

        String token = link.substring(link.indexOf("token=") + 6);
        given().formParam("token", token).post("/subscribe/confirm").then().statusCode(200)
                .body(allOf(containsString("You are subscribed"), containsString("/self-service?token=")));
        given().formParam("token", token).post("/subscribe/confirm").then().statusCode(410)
                .body(containsString("This code or link has expired"));

        declare("Checkout down " + run, checkout);
        declare("Search down " + run, search);
        List<String> subjects = Smtp.to(ann).stream().map(Smtp::subject).toList();
        assertTrue(subjects.stream().anyMatch(s -> s.contains("Checkout down " + run)), subjects.toString());
        assertFalse(subjects.stream().anyMatch(s -> s.contains("Search down " + run)), subjects.toString());
    }

    @Test
    void anSmsSignUpIsConfirmedWithTheCodeAndAWrongCodeSaysHowManyTriesAreLeft() {
        String number = number();
        String page = signUp(Map.of("phone", number, "scope", "group:Shop " + run)).then().statusCode(200)
                .body(containsString("a text message with a six-digit code is on its way")).extract().asString();
        String signup = signupIdIn(page);
        String code = codeSentTo(number);
        String wrong = code.equals("000000") ? "111111" : "000000";

        given().formParam("signup", signup).formParam("code", wrong).post("/subscribe/verify").then().statusCode(400)
                .body(containsString("That code is not right. 4 tries left."));
        given().formParam("signup", signup).formParam("code", code.substring(0, 3) + " " + code.substring(3))
                .post("/subscribe/verify").then().statusCode(200).body(containsString("You are subscribed"));

        twilio.reset();
        declare("Search slow " + run, search);
        assertTrue(twilio.created().stream().anyMatch(m -> number.equals(m.get("to"))),
                "a whole group chosen covers each of its components");
    }

    @Test
    void theCodeStopsWorkingAfterFiveWrongTries() {
        String number = number();
        String signup = signupIdIn(signUp(Map.of("phone", number)).then().statusCode(200).extract().asString());
        String code = codeSentTo(number);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 4; i++) {
            given().formParam("signup", signup).formParam("code", wrong).post("/subscribe/verify").then().statusCode(400);
        }
        given().formParam("signup", signup).formParam("code", wrong).post("/subscribe/verify").then().statusCode(410);
        given().formParam("signup", signup).formParam("code", code).post("/subscribe/verify").then().statusCode(410);
    }

    @Test
    void theEleventhSmsSignUpFromOneVisitorInFourHoursIsRefusedSayingWhenToTryAgain() {
        for (int i = 0; i < 10; i++) {
            signUp(Map.of("phone", number())).then().statusCode(200);
        }
        String refused = signUp(Map.of("phone", number())).then().statusCode(429).header("Retry-After", Matchers.retryAfterAboutFourHours())
                .body(containsString("Too many sign-ups came from here. Please try again after")).extract().asString();
        assertTrue(refused.contains("(UTC)"), "the time to try again names its time zone");
        // email sign-ups from the same visitor are not SMS: they are still taken
        signUp(Map.of("email", address("eve"))).then().statusCode(200);
    }

    @Test
    void theFormAnswersAlikeForANewAndAnExistingAddressAndTheExistingOneIsToldHowToManage() {
        String known = address("known");
        asAdmin().body("{\"externalRef\": \"known-" + run + "\", \"email\": \"" + known + "\", \"subscriptions\": [\"*\"]}")
                .post("/api/subscribers").then().statusCode(201);
        String fresh = address("fresh");

        String forKnown = signUp(Map.of("email", known)).then().statusCode(200).extract().asString();
        String forFresh = signUp(Map.of("email", fresh)).then().statusCode(200).extract().asString();
        assertEquals(forFresh.replace(fresh, "ADDRESS"), forKnown.replace(known, "ADDRESS"));

        assertEquals(1, Smtp.to(known).size());
        String text = Smtp.text(Smtp.to(known).get(0));
        assertTrue(text.contains("which already gets them") && text.contains("/self-service?token="), text);
        assertFalse(CONFIRM_LINK.matcher(text).find(), "no second subscription to confirm");
    }

    @Test
    void aFormWithoutAnAddressOrWithABadNumberIsShownAgainWithItsErrorsInTheVisitorsLanguage() {
        given().header("X-Forwarded-For", visitor).header("Accept-Language", "de").formParam("phone", "12")
                .post("/subscribe").then().statusCode(400).contentType(containsString("text/html"))
                .body(allOf(containsString("lang=\"de\""), containsString("aria-invalid=\"true\"")));
        signUp(Map.of("website", "")).then().statusCode(400)
                .body(containsString("give an email address, a mobile number, or both"));
    }

    @Test
    void aBotThatFillsTheHiddenFieldIsAnsweredAsAnyoneAndSentNothing() {
        String bot = address("bot");
        signUp(Map.of("email", bot, "website", "http://spam.example")).then().statusCode(200)
                .body(containsString("If " + bot + " can be subscribed"));
        assertEquals(0, Smtp.to(bot).size());
    }

    @Test
    void anUnknownOrUsedLinkIsAPageSayingToSignUpAgain() {
        given().header("Accept-Language", "en").get("/subscribe/confirm?token=nothing").then().statusCode(410)
                .contentType(containsString("text/html")).body(containsString("This code or link has expired"));
        given().formParam("signup", "not-a-uuid").formParam("code", "123456").post("/subscribe/verify").then()
                .statusCode(410);
    }

    /** Hamcrest matchers of this test. */
    static final class Matchers {
        static org.hamcrest.Matcher<String> retryAfterAboutFourHours() {
            return new org.hamcrest.TypeSafeMatcher<>() {
                @Override
                protected boolean matchesSafely(String seconds) {
                    long value = Long.parseLong(seconds);
                    return value > 4 * 3600 - 120 && value <= 4 * 3600;
                }

                @Override
                public void describeTo(org.hamcrest.Description description) {
                    description.appendText("about four hours in seconds");
                }
            };
        }
    }
}
