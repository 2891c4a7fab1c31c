package io.incidentcomms.platform.local;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.Browser;
import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.incidentcomms.support.Dispatching;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The no-services run's inbox, as a newcomer uses it: the email as their mail program would show
 * it, the SMS as a phone would, and a reply typed as that phone that answers an option and then
 * stops the messages, through the same handling as Twilio's inbound webhook.
 * Screenshot: {@code target/screenshots/local-inbox*.png}.
 */
@QuarkusTest
@TestProfile(LocalInboxInABrowserTest.Capturing.class)
class LocalInboxInABrowserTest {

    @Inject
    DeliveryPlanner planner;
    @Inject
    Dispatcher dispatcher;
    @Inject
    EntityManager em;

    public static class Capturing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("comms.delivery.capture", "true");
        }
    }

    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:inbox-" + run;
    final String phone = "+4915113" + (Math.abs(run.hashCode()) % 900000 + 100000);

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @Test
    void aNewcomerReadsTheMessagesAnswersAnOptionAndStopsWithoutAPhone() {
        asAdmin().body("""
                {"externalRef": "inbox-%s", "email": "inbox-%s@example.com", "phone": "%s", "smsConsent": true,
                 "consentSource": "test", "locale": "en", "timeZone": "Europe/Berlin", "subscriptions": ["%s"]}"""
                .formatted(run, run, phone, scope)).post("/api/subscribers").then().statusCode(201);
        String key = asAdmin().body(Api.declaration("Inbox " + run, "critical", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        Dispatching.planAndDispatch(planner, dispatcher, em);

        browser.open(base + "local/messages?to=" + run);
        assertEquals("Local inbox", browser.driver().findElement(By.tagName("h1")).getText());
        var frame = browser.driver().findElement(By.cssSelector("iframe.mail"));
        browser.driver().switchTo().frame(frame);
        assertTrue(browser.driver().findElement(By.tagName("body")).getText().contains("Checkout fails for card payments."));
        browser.driver().switchTo().defaultContent();
        browser.screenshot("local-inbox");
        assertEquals(List.of(), browser.accessibilityProblems());

        browser.open(base + "local/messages?channel=sms&to=" + phone.substring(1));
        String sms = browser.driver().findElement(By.cssSelector(".sms[data-sms-to='" + phone + "']")).getText();
        assertTrue(sms.contains("REFUND"), sms);
        new Select(browser.driver().findElement(By.id("from"))).selectByValue(phone);
        browser.driver().findElement(By.id("body")).sendKeys("REFUND");
        browser.driver().findElement(By.id("send-reply")).click();
        String answer = browser.waitForText(By.id("service-answer"), text -> !text.isBlank());
        assertTrue(answer.contains(key) || answer.toLowerCase().contains("refund"), answer);
        assertEquals(1, asAdmin().get("/api/incidents/" + key + "/summary").then().extract()
                .<List<?>>path("answers").size(), "the answer is recorded as a reply through Twilio would be");
        browser.screenshot("local-inbox-replied");

        new Select(browser.driver().findElement(By.id("from"))).selectByValue(phone);
        browser.driver().findElement(By.id("body")).sendKeys("STOP");
        browser.driver().findElement(By.id("send-reply")).click();
        browser.waitForText(By.id("replied"), text -> text.contains("STOP"));
        assertTrue(asAdmin().get("/api/subscribers/inbox-" + run).then().extract()
                .<String>path("contactPoints.find { it.channel == 'sms' }.optedOutAt") != null, "STOP opted the number out");
        assertEquals(List.of(), browser.accessibilityProblems());
    }
}
