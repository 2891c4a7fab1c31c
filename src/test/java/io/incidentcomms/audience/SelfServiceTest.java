package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@QuarkusTest
class SelfServiceTest {

    @Inject
    SelfServiceTokens tokens;
    @Inject
    EntityManager em;

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
    }

    String ref;

    String tokenForEmail(Long incidentId) {
        return tokenForEmail(incidentId, "en");
    }

    String tokenForEmail(Long incidentId, String locale) {
        ref = "self-" + UUID.randomUUID();
        asAdmin().body("""
                {"externalRef": "%s", "email": "self.service@example.com", "locale": "%s",
                 "subscriptions": ["component:a", "region:*"]}""".formatted(ref, locale))
                .post("/api/subscribers").then().statusCode(201);
        long contactPoint = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select cp.id from contact_point cp join subscriber s on s.id = cp.subscriber_id where s.external_ref = ?1""")
                .setParameter(1, ref).getSingleResult()).longValue());
        return tokens.issue(contactPoint, "self.service@example.com", incidentId);
    }

    long incidentId(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from incident where incident_key = ?1").setParameter(1, key).getSingleResult()).longValue());
    }

    @Test
    void aGetOnlyShowsThePageAndChangesNothing() {
        String token = tokenForEmail(null);
        given().queryParam("token", token).get("/self-service").then().statusCode(200)
                .contentType(containsString("text/html"))
                // the page carries the token: no cache keeps it
                .header("Cache-Control", "no-store")
                .body(containsString("s***@example.com"))
                .body(not(containsString("self.service@example.com")))
                .body(containsString("<span>All regions</span>"))
                .body(containsString("<span>A (component)</span>"));
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", nullValue())
                .body("subscriptions", contains("component:a", "region:*"));
    }

    @Test
    void aRecipientCanDropAScopeChangePreferencesAndMuteAnIncident() {
        String key = asAdmin().body(Api.declaration("Muted " + UUID.randomUUID(), "minor", "component:a"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        String token = tokenForEmail(incidentId(key));
        given().formParam("token", token).formParam("scope", "component:a").redirects().follow(false)
                .post("/self-service/drop-scope").then().statusCode(303);
        given().formParam("token", token).formParam("locale", "de").formParam("timeZone", "Europe/Berlin")
                .formParam("firstChannel", "sms").redirects().follow(false)
                .post("/self-service/preferences").then().statusCode(303);
        given().formParam("token", token).redirects().follow(false).post("/self-service/mute").then().statusCode(303);

        asAdmin().get("/api/subscribers/" + ref).then()
                .body("subscriptions", contains("region:*"))
                .body("locale", is("de")).body("timeZone", is("Europe/Berlin"))
                .body("channelPreference", contains("sms", "email"));
        given().queryParam("token", token).get("/self-service").then()
                .body(containsString("<html lang=\"de\""))
                .body(containsString("hören Sie nichts mehr von uns"));
    }

    @Test
    void aTamperedTokenIs401() {
        String token = tokenForEmail(null);
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        given().queryParam("token", tampered).get("/self-service").then().statusCode(401);
        given().formParam("token", tampered).post("/self-service/opt-out").then().statusCode(401);
        given().queryParam("token", "garbage").get("/self-service").then().statusCode(401);
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", nullValue());
    }

    @Test
    void anExpiredTokenStillOptsOutButChangesNothingElse() {
        String token = tokenForEmail(null);
        TestClockProducer.testClock().advance(Duration.ofDays(31));
        given().queryParam("token", token).get("/self-service").then().statusCode(200)
                .body(containsString("This link has expired"));
        given().formParam("token", token).formParam("scope", "region:*").post("/self-service/drop-scope")
                .then().statusCode(403);
        given().formParam("token", token).post("/self-service/opt-out").then().statusCode(200)
                .body(containsString("no more messages"));
        asAdmin().get("/api/subscribers/" + ref).then()
                .body("subscriptions", contains("component:a", "region:*"))
                .body("contactPoints[0].optedOutAt", notNullValue())
                .body("contactPoints[0].optedOutVia", is("UNSUBSCRIBE_LINK"));
    }

    @Test
    void theOneClickUnsubscribePostOptsOut() {
        String token = tokenForEmail(null);
        given().queryParam("token", token).contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click").post("/self-service/unsubscribe").then().statusCode(200);
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", notNullValue());
    }

    @Test
    void aGermanSubscribersSettingsPageIsGermanWithListsOfLanguagesAndTimeZones() {
        String token = tokenForEmail(null, "de");
        String page = given().queryParam("token", token).accept("text/html").get("/self-service").then().statusCode(200)
                .header("Content-Language", is("de")).extract().asString();
        for (String german : List.of("Ihre Benachrichtigungseinstellungen", "Worüber Sie Nachrichten bekommen",
                "Alle Regionen", "A (Komponente)", "Zeitzone", "Alle Nachrichten an s***@example.com abbestellen")) {
            assertTrue(page.contains(german), german + " in\n" + page);
        }
        assertFalse(page.contains("Your notification settings"), page);
        assertTrue(page.contains("<option value=\"de\" lang=\"de\" selected>Deutsch</option>"), "languages as a list: " + page);
        assertTrue(page.contains("<option value=\"fr\" lang=\"fr\">Français</option>"), page);
        assertTrue(page.contains("<option value=\"America/New_York\">America/New York</option>"), "time zones as a list");
        assertFalse(page.contains("value=\"SystemV/"), "no legacy zone ids");
    }

    @Test
    void aBrowserFollowingAnExpiredOrBrokenLinkGetsAPageNotJson() {
        String token = tokenForEmail(null);
        TestClockProducer.testClock().advance(Duration.ofDays(31));
        given().formParam("token", token).formParam("scope", "region:*").accept("text/html").post("/self-service/drop-scope")
                .then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("This link has expired"))
                .body(containsString("action=\"/self-service/opt-out\""));
        given().queryParam("token", "garbage").accept("text/html").get("/self-service").then().statusCode(401)
                .contentType(containsString("text/html")).body(containsString("This link is not valid"));
        given().queryParam("token", "garbage").header("Accept-Language", "fr-FR,fr;q=0.9").accept("text/html")
                .get("/self-service").then().statusCode(401).body(containsString("Ce lien n"));
        given().queryParam("token", "garbage").accept("text/html").get("/self-service/answer").then().statusCode(401)
                .contentType(containsString("text/html"));
        given().accept("text/html").get("/m/NotThere").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Page not found"));
        given().queryParam("token", "garbage").get("/self-service").then().statusCode(401)
                .contentType(containsString("application/problem+json"));
    }

    @Test
    void anOptOutByLinkCanBeUndoneForAFewMinutesOnly() {
        String token = tokenForEmail(null);
        given().formParam("token", token).post("/self-service/opt-out").then().statusCode(200)
                .body(containsString("You can undo this for the next 10 minutes"));
        given().formParam("token", token).post("/self-service/opt-out/undo").then().statusCode(200)
                .body(containsString("Your messages continue as before."));
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", nullValue());

        given().formParam("token", token).post("/self-service/opt-out").then().statusCode(200);
        TestClockProducer.testClock().advance(Duration.ofMinutes(11));
        given().formParam("token", token).post("/self-service/opt-out/undo").then().statusCode(200)
                .body(containsString("Too late to undo here"));
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", notNullValue());
    }

    @Test
    void theOneClickUnsubscribeAlsoTakesMultipartFormData() {
        String token = tokenForEmail(null);
        given().queryParam("token", token).multiPart("List-Unsubscribe", "One-Click").post("/self-service/unsubscribe")
                .then().statusCode(200);
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", notNullValue());
    }

    @Test
    void aSubscriberWhoseLanguageHasNoPagesOfItsOwnGetsThePageAndKeepsTheirLanguageWhenSaving() {
        String swiss = tokenForEmail(null, "de-CH");
        String page = given().queryParam("token", swiss).accept("text/html").get("/self-service").then().statusCode(200)
                .header("Content-Language", is("de")).extract().asString();
        assertTrue(page.contains("<option value=\"de-CH\" lang=\"de-CH\" selected>"), page);
        String spanish = tokenForEmail(null, "es");
        page = given().queryParam("token", spanish).accept("text/html").get("/self-service").then().statusCode(200)
                .header("Content-Language", is("en")).extract().asString();
        assertTrue(page.contains("<option value=\"es\" lang=\"es\" selected>Español</option>"), page);
        assertTrue(page.contains("<span>All regions</span>"), page);
    }

    @Test
    void aLinkStopsWorkingOnceItsAddressBelongsToSomeoneElse() {
        String token = tokenForEmail(null);
        given().queryParam("token", token).get("/self-service").then().statusCode(200);
        asAdmin().body("{\"email\": \"new.owner@example.com\"}").put("/api/subscribers/" + ref).then().statusCode(200);
        given().queryParam("token", token).get("/self-service").then().statusCode(401);
        given().formParam("token", token).post("/self-service/opt-out").then().statusCode(401);
        asAdmin().get("/api/subscribers/" + ref).then().body("contactPoints[0].optedOutAt", nullValue());
    }

    @Test
    void anOptOutFollowsTheAddressThroughChangesErasureAndReimport() {
        String token = tokenForEmail(null);
        given().formParam("token", token).post("/self-service/opt-out").then().statusCode(200);
        asAdmin().body("{\"email\": \"elsewhere@example.com\"}").put("/api/subscribers/" + ref).then().statusCode(200);
        asAdmin().body("{\"email\": \"self.service@example.com\"}").put("/api/subscribers/" + ref).then().statusCode(200);
        assertEquals(0, audienceOf("self.service@example.com"), "back at the opted-out address: still out");
        asAdmin().delete("/api/subscribers/" + ref).then().statusCode(204);
        asAdmin().body("{\"externalRef\": \"" + ref + "-again\", \"email\": \"self.service@example.com\","
                + " \"subscriptions\": [\"component:a\"]}").post("/api/subscribers").then().statusCode(201);
        assertEquals(0, audienceOf("self.service@example.com"), "erased and imported again: still out");
    }

    /** How many contact points with this address an incident on component:a would reach now. */
    long audienceOf(String address) {
        String key = asAdmin().body(Api.declaration("Suppressed " + UUID.randomUUID(), "minor", "component:a")
                .replace("\"confirm\"", "\"draft\": true, \"confirm\"")).post("/api/incidents").then().statusCode(201)
                .extract().path("key");
        java.util.List<String> refs = asAdmin().get("/api/incidents/" + key + "/audience/recipients").then().statusCode(200)
                .extract().asString().lines().filter(l -> l.contains("\"externalRef\":\"" + ref)).toList();
        return refs.size();
    }
}
