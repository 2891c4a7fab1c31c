package io.incidentcomms.statuspage;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The public page: what a visitor reads about components and incidents, in their language, cacheable. */
@QuarkusTest
class StatusPageTest {

    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:page-" + run;

    String declare(String severity) {
        asAdmin().body("{\"names\": {\"en\": \"Checkout " + run + "\", \"de\": \"Kasse " + run + "\"}, \"group\": \"Shop\"}")
                .put("/api/components/" + scope).then().statusCode(200);
        return asAdmin().body("""
                {"title": {"en": "Card payments fail %s", "de": "Kartenzahlungen scheitern %s"}, "kind": "outage",
                 "severity": "%s", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail at checkout.", "de": "Kartenzahlungen scheitern an der Kasse."}}"""
                .formatted(run, run, severity, scope)).post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    @Test
    void anIncidentShowsWithItsComponentsStatusInWordsTheBannerAndTheDayBars() {
        String key = declare("major");

        String page = given().accept("text/html").get("/").then().statusCode(200)
                .body(allOf(containsString("Card payments fail " + run), containsString("href=\"/incidents/" + key + "\""),
                        containsString("uptime over 90 days"), containsString("Coordinated Universal Time (UTC)"),
                        not(containsString("All systems operational"))))
                .extract().asString();
        // other tests' incidents are open too: the banner is theirs as well, but this component's row is its own
        org.junit.jupiter.api.Assertions.assertTrue(java.util.regex.Pattern.compile("Checkout " + run
                + "</span>\\s*<span class=\"component-status status-partial\"><span class=\"icon\" aria-hidden=\"true\">▲</span> Partial outage")
                .matcher(page).find(), "the component's own status, in words");
        given().accept("text/html").header("Accept-Language", "de").get("/").then().statusCode(200)
                .contentType("text/html;charset=UTF-8").header("Content-Language", "de")
                .body(allOf(containsString("Kasse " + run), containsString("Teilausfall"),
                        containsString("Kartenzahlungen scheitern " + run)));
        given().accept("text/html").get("/?tz=Europe/Berlin").then().statusCode(200)
                .body(containsString("(Europe/Berlin)"));
    }

    @Test
    void threeHoursOfMajorOutageOnOneDayShowTheDocumentedUptimeOnThePage() {
        asAdmin().body("{\"names\": {\"en\": \"Uptime " + run + "\"}}").put("/api/components/" + scope).then()
                .statusCode(200);
        Instant now = LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
        LocalDate outageDay = LocalDate.now(ZoneOffset.UTC).minusDays(12);
        history(now.minus(Duration.ofDays(200)), "operational");
        history(outageDay.atTime(9, 0).toInstant(ZoneOffset.UTC), "major_outage");
        history(outageDay.atTime(12, 0).toInstant(ZoneOffset.UTC), "operational");
        TestClockProducer.testClock().freezeAt(now);
        try {
            // any publication makes the page read the state afresh
            asAdmin().body(io.incidentcomms.support.Api.declaration("Elsewhere " + run, "minor", "component:other-" + run))
                    .post("/api/incidents").then().statusCode(201);

            String page = given().accept("text/html").header("Accept-Language", "en").get("/").then().statusCode(200)
                    .extract().asString();
            String row = page.substring(page.indexOf("Uptime " + run));
            row = row.substring(0, row.indexOf("</p>", row.indexOf("bars-legend"))); // its bars and legend
            // the day: 1 - 180 / 1440; the 90 days (89 days and 12 hours): 1 - 180 / 128,880 = 99.8603…
            org.junit.jupiter.api.Assertions.assertTrue(row.contains("Major outage, 87.50\u00a0% uptime"), row);
            org.junit.jupiter.api.Assertions.assertTrue(row.contains("99.86\u00a0% uptime over 90 days"), row);
        } finally {
            TestClockProducer.testClock().reset();
        }
    }

    void history(Instant since, String status) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into component_status_change (scope, status, since) values (?1, ?2, ?3)")
                .setParameter(1, scope).setParameter(2, status).setParameter(3, java.sql.Timestamp.from(since))
                .executeUpdate());
    }

    @Test
    void aResolvedIncidentLeavesThePageForTheHistory() {
        String key = declare("minor");
        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Payments work again.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);

        given().accept("text/html").get("/").then().statusCode(200)
                .body(not(containsString("href=\"/incidents/" + key + "\"")));
        given().accept("text/html").get("/history").then().statusCode(200)
                .body(allOf(containsString("href=\"/incidents/" + key + "\""), containsString("Payments work again.")));
    }

    @Test
    void thePageRevalidatesWithItsEtagAndIsPublicForAFewSeconds() {
        String etag = given().accept("text/html").get("/").then().statusCode(200)
                .header("Cache-Control", containsString("public")).extract().header("ETag");
        given().accept("text/html").header("If-None-Match", etag).get("/").then().statusCode(304);
        given().accept("text/html").header("If-None-Match", etag).header("Accept-Language", "fr").get("/").then()
                .statusCode(200);
    }

    @Test
    void theStylesheetIsStillServedBesideThePage() {
        given().get("/assets/customer.css").then().statusCode(200).body(containsString("ol.bars"));
    }

    @Test
    void atomAndRssListTheIncidentWithItsUpdatesAndTheBadgeSaysTheStatusInWords() {
        String key = declare("critical");

        given().get("/feed.atom").then().statusCode(200).contentType(containsString("application/atom+xml"))
                .body(allOf(containsString("<feed"), containsString("/incidents/" + key),
                        containsString("Card payments fail " + run), containsString("Card payments fail at checkout.")));
        given().get("/feed.rss").then().statusCode(200).contentType(containsString("application/rss+xml"))
                .body(allOf(containsString("<rss"), containsString("/incidents/" + key)));
        given().get("/badge.svg").then().statusCode(200).contentType(containsString("image/svg+xml"))
                // a critical incident is open (this one, at least): the worst status there is
                .body(allOf(containsString("<title>status: Some systems are down</title>"), containsString("#991b1b")));
    }
}
