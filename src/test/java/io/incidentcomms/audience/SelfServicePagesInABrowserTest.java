package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import io.incidentcomms.support.Browser;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The pages a message links to, as a customer's browser shows them: in their language, usable
 * with a keyboard, without serious accessibility problems (axe-core), and a page rather than JSON
 * when a link has expired. Screenshots: {@code target/screenshots/self-service-*.png}.
 */
@QuarkusTest
class SelfServicePagesInABrowserTest {

    static Browser browser;

    @TestHTTPResource("/")
    URL base;
    @Inject
    SelfServiceTokens tokens;
    @Inject
    EntityManager em;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @AfterEach
    void resetClock() {
        TestClockProducer.testClock().reset();
    }

    String tokenFor(String locale) {
        String ref = "browser-" + UUID.randomUUID();
        asAdmin().body("""
                {"externalRef": "%s", "email": "kim.%s@example.com", "locale": "%s", "timeZone": "Europe/Berlin",
                 "subscriptions": ["component:checkout", "region:*"]}""".formatted(ref, ref, locale))
                .post("/api/subscribers").then().statusCode(201);
        asAdmin().body("{\"names\": {\"en\": \"Checkout\", \"de\": \"Kasse\", \"fr\": \"Caisse\"}}")
                .put("/api/components/component:checkout").then().statusCode(200);
        long contactPoint = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select cp.id from contact_point cp join subscriber s on s.id = cp.subscriber_id where s.external_ref = ?1""")
                .setParameter(1, ref).getSingleResult()).longValue());
        return tokens.issue(contactPoint, "kim." + ref + "@example.com", null);
    }

    String settingsPage(String token) {
        return base + "self-service?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void aGermanSubscribersSettingsPageIsGermanNamesScopesAndPassesAxe() {
        browser.open(settingsPage(tokenFor("de")));
        browser.screenshot("self-service-settings-de");

        assertEquals("de", browser.driver().findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("Ihre Benachrichtigungseinstellungen", browser.driver().findElement(By.tagName("h1")).getText());
        List<String> subscriptions = browser.driver().findElements(By.cssSelector("ul.plain li span")).stream()
                .map(e -> e.getText()).toList();
        assertEquals(List.of("Kasse", "Alle Regionen"), subscriptions);
        assertEquals("Deutsch", new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("locale")))
                .getFirstSelectedOption().getText());
        assertEquals("Europe/Berlin", new org.openqa.selenium.support.ui.Select(browser.driver().findElement(By.id("timeZone")))
                .getFirstSelectedOption().getAttribute("value"));
        assertEquals(List.of(), browser.accessibilityProblems());
    }

    @Test
    void aFrenchSubscriberOptsOutWithTheKeyboardAndCanUndoIt() {
        browser.open(settingsPage(tokenFor("fr")));
        browser.driver().findElement(By.cssSelector("form[action='/self-service/opt-out'] button")).sendKeys("\n");
        browser.waitForText(By.cssSelector("[role=status]"), t -> t.startsWith("Nous n'enverrons plus"));
        browser.screenshot("self-service-opted-out-fr");
        assertEquals(List.of(), browser.accessibilityProblems());
        browser.driver().findElement(By.cssSelector("form[action='/self-service/opt-out/undo'] button")).sendKeys("\n");
        browser.waitForText(By.cssSelector("[role=status]"), "Vos messages continuent comme avant."::equals);
    }

    @Test
    void anExpiredLinkShowsAPageThatStillLetsTheCustomerStopMessages() {
        String token = tokenFor("en");
        TestClockProducer.testClock().advance(Duration.ofDays(31));
        browser.open(settingsPage(token));
        browser.screenshot("self-service-expired-en");
        assertTrue(browser.driver().getPageSource().contains("This link has expired"));
        assertEquals(List.of(), browser.accessibilityProblems());

        browser.open(base + "self-service?token=broken");
        browser.screenshot("self-service-invalid-en");
        assertEquals("This link is not valid", browser.driver().findElement(By.tagName("h1")).getText());
        assertEquals(List.of(), browser.accessibilityProblems());
    }
}
