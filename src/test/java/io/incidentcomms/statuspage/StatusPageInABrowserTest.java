package io.incidentcomms.statuspage;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.Browser;
import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The status page and subscribing from it, as a visitor's Chromium shows them: an incident
 * declared through the API with its component's status, the incident's own page, and signing up
 * by email (confirmed through the link the email carries) and by SMS (with the code the Twilio
 * stub received), then hearing about the chosen component only, and leaving through the link in
 * an update. Every page without serious accessibility problems (axe-core), in light and dark.
 * Screenshots: {@code target/screenshots/status-*.png}.
 */
@QuarkusTest
class StatusPageInABrowserTest extends DeliveringTest {

    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String checkout = "component:browser-checkout-" + run;
    final String search = "component:browser-search-" + run;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @BeforeEach
    void catalog() {
        asAdmin().body("{\"names\": {\"en\": \"Checkout " + run + "\", \"de\": \"Kasse " + run + "\"}, \"group\": \"Shop\"}")
                .put("/api/components/" + checkout).then().statusCode(200);
        asAdmin().body("{\"names\": {\"en\": \"Search " + run + "\", \"de\": \"Suche " + run + "\"}, \"group\": \"Shop\"}")
                .put("/api/components/" + search).then().statusCode(200);
        planAndDispatch();
        twilio.reset();
    }

    String declare(String title, String scope) {
        String key = asAdmin().body(Api.declaration(title, "major", scope)).post("/api/incidents").then().statusCode(201)
                .extract().path("key");
        planAndDispatch();
        return key;
    }

    void open(String path) {
        browser.open(base + path.replaceFirst("^/", ""));
    }

    void assertAccessible(String page) {
        assertEquals(List.of(), browser.accessibilityProblems(), page);
    }

    WebElement heading() {
        return browser.driver().findElement(By.tagName("h1"));
    }

    @Test
    void aVisitorSeesAnIncidentDeclaredThroughTheApiWithItsComponentsStatusAndItsOwnPage() {
        String key = declare("Card payments fail " + run, checkout);

        open("/?lang=en");
        WebElement row = browser.driver().findElement(By.xpath(
                "//*[normalize-space(text())='Checkout " + run + "']/ancestor::li[1]"));
        assertTrue(row.getText().contains("Partial outage"), "the component's status in words: " + row.getText());
        WebElement incident = browser.driver().findElement(By.cssSelector("a[href='/incidents/" + key + "']"));
        assertEquals("Card payments fail " + run, incident.getText());
        browser.screenshot("status-page-en");
        assertAccessible("the status page");
        browser.colourScheme("dark");
        browser.screenshot("status-page-en-dark");
        assertAccessible("the status page, dark");
        browser.colourScheme("light");

        incident.click();
        browser.waitForText(By.tagName("h1"), ("Card payments fail " + run)::equals);
        assertTrue(browser.driver().findElement(By.tagName("main")).getText().contains("Checkout fails for card payments."));
        browser.screenshot("status-incident-en");
        assertAccessible("the incident's page");

        open("/?lang=de");
        assertEquals("de", browser.driver().findElement(By.tagName("html")).getAttribute("lang"));
        assertTrue(browser.driver().getPageSource().contains("Kasse " + run));
        browser.screenshot("status-page-de");
        assertAccessible("the German status page");

        open("/history?lang=en");
        browser.screenshot("status-history-en");
        assertAccessible("the history");
    }

    @Test
    void aVisitorSubscribesByEmailToOneComponentHearsOnlyAboutItAndLeavesFromAnUpdatesLink() {
        String address = "visitor." + run + "@browser.example.com";
        open("/subscribe?lang=en");
        assertEquals("Subscribe to updates", heading().getText());
        assertAccessible("the sign-up form");
        browser.driver().findElement(By.id("email")).sendKeys(address);
        browser.driver().findElement(By.cssSelector("input[name=scope][value='" + checkout + "']")).click();
        browser.screenshot("status-subscribe-form-en");
        browser.driver().findElement(By.cssSelector("form[action='/subscribe'] button[type=submit]")).click();
        browser.waitForText(By.tagName("h1"), "Check your messages"::equals);
        browser.screenshot("status-subscribe-check-email-en");
        assertAccessible("check your messages");

        List<String> confirmations = Smtp.to(address).stream().flatMap(m -> Smtp.links(Smtp.text(m)).stream())
                .filter(l -> l.contains("/subscribe/confirm?token=")).toList();
        assertEquals(1, confirmations.size(), "the email carries one confirmation link");
        open(Smtp.path(confirmations.get(0)));
        assertEquals("Confirm your subscription", heading().getText());
        assertAccessible("the confirmation page");
        browser.driver().findElement(By.cssSelector("form[action='/subscribe/confirm'] button")).click();
        browser.waitForText(By.tagName("h1"), "You are subscribed"::equals);
        browser.screenshot("status-subscribe-done-en");
        assertAccessible("you are subscribed");

        declare("Checkout down " + run, checkout);
        declare("Search down " + run, search);
        List<String> subjects = Smtp.to(address).stream().map(Smtp::subject).toList();
        assertTrue(subjects.stream().anyMatch(s -> s.contains("Checkout down " + run)), subjects.toString());
        assertFalse(subjects.stream().anyMatch(s -> s.contains("Search down " + run)), subjects.toString());

        String update = Smtp.to(address).stream().map(Smtp::text).filter(t -> t.contains("Checkout fails for card payments"))
                .findFirst().orElseThrow();
        String preferences = Smtp.links(update).stream().filter(l -> l.contains("/self-service?token=")).findFirst()
                .orElseThrow(() -> new AssertionError("the update links its recipient's settings: " + update));
        open(Smtp.path(preferences));
        browser.driver().findElement(By.cssSelector("form[action='/self-service/opt-out'] button")).click();
        browser.waitForText(By.cssSelector("[role=status]"), t -> t.contains("You will get no more messages"));
        browser.screenshot("status-unsubscribed-en");
        int received = Smtp.to(address).size();
        declare("Checkout down again " + run, checkout);
        assertEquals(received, Smtp.to(address).size(), "nothing more after leaving");
    }

    @Test
    void aVisitorSubscribesBySmsWithTheCodeTheTextMessageCarried() {
        String number = "+447400" + String.format("%06d", Math.abs(run.hashCode()) % 1_000_000);
        open("/subscribe?lang=en");
        browser.driver().findElement(By.id("phone")).sendKeys(number);
        browser.driver().findElement(By.cssSelector("form[action='/subscribe'] button[type=submit]")).click();
        browser.waitForText(By.tagName("h1"), "Check your messages"::equals);

        String sms = twilio.created().stream().filter(m -> number.equals(m.get("to"))).map(m -> (String) m.get("body"))
                .findFirst().orElseThrow(() -> new AssertionError("no code SMS to " + number));
        Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(sms);
        assertTrue(code.find(), sms);
        browser.driver().findElement(By.id("code")).sendKeys(code.group(1));
        browser.screenshot("status-subscribe-code-en");
        assertAccessible("the code form");
        browser.driver().findElement(By.cssSelector("form[action='/subscribe/verify'] button")).click();
        browser.waitForText(By.tagName("h1"), "You are subscribed"::equals);

        twilio.reset();
        declare("Search slow " + run, search);
        assertTrue(twilio.created().stream().anyMatch(m -> number.equals(m.get("to"))),
                "subscribed to everything, the number hears about any component");
    }
}
