package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Content;
import io.incidentcomms.message.MessageRenderer.Recipient;
import io.incidentcomms.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The HTML email as a customer sees it, in a real Chromium: light, dark, with the style sheet
 * dropped (as some mail clients do) and on a phone. Every text reads at WCAG AA contrast, every
 * option is a button that links to its choice, and axe-core finds no serious problem.
 * Screenshots: {@code target/screenshots/email-*.png}.
 */
@QuarkusTest
class EmailAppearanceTest {

    static Browser browser;

    @Inject
    MessageTemplates templates;
    @Inject
    MessageRenderer renderer;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    String declaredEmail(String locale) {
        Content content = new Content(MessageKind.DECLARED, "INC-2026-0042",
                Map.of("en", "Card payments fail at checkout", "de", "Kartenzahlung an der Kasse gestört"),
                Map.of("en", "Since 09:40, card payments fail at checkout in western Europe. Orders by invoice still work.",
                        "de", "Seit 09:40 scheitern Kartenzahlungen an der Kasse in Westeuropa. Bestellungen auf Rechnung gehen."),
                Map.of(), "en", null,
                List.of(new MessageOption("1", Map.of("en", "Pay by invoice", "de", "Auf Rechnung zahlen"),
                        Map.of("en", "No extra cost; pay within 30 days.", "de", "Ohne Aufpreis; zahlbar in 30 Tagen."), false),
                        new MessageOption("REFUND", Map.of("en", "Cancel and get a refund", "de", "Stornieren und erstatten"),
                                null, false)),
                null, Instant.now().plusSeconds(1800), 0, null, null, true);
        return renderer.render(templates.current(), content, new Recipient(locale, ZoneId.of("Europe/Berlin"),
                Channel.EMAIL, false, "token-1", null, null)).html();
    }

    @Test
    void theEmailReadsWellInLightAndDarkModeWithItsOptionsAsButtons() {
        for (String scheme : List.of("light", "dark")) {
            browser.colourScheme(scheme);
            browser.show("email-declared-" + scheme, declaredEmail("en"));
            browser.screenshot("email-declared-" + scheme);
            assertReadable(scheme);
        }
        browser.colourScheme("light");
    }

    @Test
    void withoutItsStyleSheetTheEmailStillReadsAndLinksEveryOption() {
        String html = declaredEmail("de").replaceAll("(?s)<style>.*?</style>", "");
        browser.show("email-declared-no-css", html);
        browser.screenshot("email-declared-no-css");
        assertReadable("no style sheet");
        assertEquals("Kartenzahlung an der Kasse gestört", browser.driver().findElement(By.tagName("h1")).getText());
    }

    @Test
    void onAPhoneTheEmailFitsTheScreenWithoutScrollingSideways() {
        browser.driver().manage().window().setSize(new Dimension(390, 844));
        try {
            browser.show("email-declared-phone", declaredEmail("en"));
            browser.screenshot("email-declared-phone");
            long overflow = (Long) browser.driver().executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertTrue(overflow <= 0, "scrolls sideways by " + overflow + " px");
        } finally {
            browser.driver().manage().window().setSize(new Dimension(1024, 900));
        }
    }

    private void assertReadable(String mode) {
        List<WebElement> buttons = browser.driver().findElements(By.cssSelector("a.button"));
        assertEquals(2, buttons.size(), mode + ": one button per option");
        assertTrue(buttons.get(0).getAttribute("href").contains("option=1"), buttons.get(0).getAttribute("href"));
        assertTrue(buttons.get(1).getAttribute("href").contains("option=REFUND"), buttons.get(1).getAttribute("href"));
        for (WebElement button : buttons) {
            assertTrue(button.isDisplayed() && button.getSize().getHeight() >= 24, mode + ": a button big enough to tap");
            assertContrast(mode + " button", button);
        }
        for (String selector : List.of("h1", "p.explain", "p.acknowledge", "p.options", "p.confirm", "p.muted")) {
            for (WebElement text : browser.driver().findElements(By.cssSelector(selector))) {
                assertContrast(mode + " " + selector, text);
            }
        }
        assertEquals(List.of(), browser.accessibilityProblems(), mode);
    }

    private static void assertContrast(String what, WebElement element) {
        double contrast = browser.contrast(element);
        assertTrue(contrast >= 4.5, what + " has a contrast of " + String.format("%.2f", contrast) + " (AA needs 4.5)");
    }
}
