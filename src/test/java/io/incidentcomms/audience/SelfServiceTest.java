package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
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
        ref = "self-" + UUID.randomUUID();
        asAdmin().body("""
                {"externalRef": "%s", "email": "self.service@example.com", "subscriptions": ["component:a", "region:*"]}""".formatted(ref))
                .post("/api/subscribers").then().statusCode(201);
        long contactPoint = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select cp.id from contact_point cp join subscriber s on s.id = cp.subscriber_id where s.external_ref = ?1""")
                .setParameter(1, ref).getSingleResult()).longValue());
        return tokens.issue(contactPoint, incidentId);
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
}
