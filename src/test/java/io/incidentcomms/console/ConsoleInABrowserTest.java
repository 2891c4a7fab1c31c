package io.incidentcomms.console;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.support.Api;
import io.incidentcomms.support.Browser;
import io.incidentcomms.support.ConsoleSession;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.DeliveringTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

/**
 * The console as someone on call uses it, in a real Chromium: signing in, declaring an incident
 * with two options in two languages while the preview follows the typing, publishing it and
 * watching the counts reach everyone, posting an update, resolving, signing out; a viewer, a form
 * without its token and a run of wrong passwords being refused. Every page checked with axe-core.
 * Screenshots: {@code target/screenshots/console-*.png}.
 */
@QuarkusTest
class ConsoleInABrowserTest extends DeliveringTest {

    static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    ConsoleUsers users;
    @Inject
    io.incidentcomms.statuspage.ComponentStatuses statuses;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:console-" + run;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @BeforeEach
    void signedOut() {
        browser.open(base + "console/sign-in");
        browser.driver().manage().deleteAllCookies();
        planAndDispatch();
        twilio.reset();
    }

    void open(String path) {
        browser.open(base + path.replaceFirst("^/", ""));
    }

    WebElement find(String css) {
        return browser.driver().findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return browser.driver().findElements(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    void assertAccessible(String page) {
        assertEquals(List.of(), browser.accessibilityProblems(), page);
        browser.colourScheme("dark");
        assertEquals(List.of(), browser.accessibilityProblems(), page + " (dark)");
        browser.colourScheme("light");
    }

    void signIn(String username, String password) {
        open("/console");
        assertTrue(browser.driver().getCurrentUrl().contains("/console/sign-in?next="), "a signed-out visitor is sent to sign in");
        type("#username", username);
        type("#password", password);
        find("form button[type=submit]").click();
        browser.waitForText(By.tagName("h1"), "Incidents"::equals);
    }

    /** Subscribes someone to the run's scope; answers their address or number. */
    String subscriber(String who, String channel, String locale) {
        String address = channel.equals("email") ? who + "-" + run + "@example.com"
                : "+4915112" + (Math.abs((who + run).hashCode()) % 900000 + 100000);
        String contact = channel.equals("email") ? "\"email\": \"" + address + "\""
                : "\"phone\": \"" + address + "\", \"smsConsent\": true, \"consentSource\": \"test\"";
        asAdmin().body("""
                {"externalRef": "%s-%s", %s, "locale": "%s", "timeZone": "Europe/Berlin", "subscriptions": ["%s"]}"""
                .formatted(run, who, contact, locale, scope)).post("/api/subscribers").then().statusCode(201);
        return address;
    }

    /**
     * Plans and sends, then waits for the live panel to show nothing waiting on any channel and at
     * least {@code messages} sent in all: ours, and those of anyone another test subscribed to
     * everything (the SMS budget may also send a follow-up SMS by email instead).
     */
    void watchEveryoneReached(int messages) {
        planAndDispatch();
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                long sent = all("[data-count=sent]").stream().mapToLong(e -> Long.parseLong(e.getText())).sum();
                boolean waiting = all("[data-count=waiting]").stream().anyMatch(e -> !e.getText().equals("0"));
                return sent >= messages && !waiting;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot("console-not-reached");
            throw new AssertionError("the panel did not show " + messages + " sent and none waiting: "
                    + find("#watch").getText(), e);
        }
    }

    /** Saves the draft, checks its button names as many people as its review counted (at least ours), publishes. */
    void reviewAndPublish(int seq, int ours, String screenshot) {
        find("#review, #review-update").click();
        WebElement publish = browser.waitFor(By.id("publish-" + seq));
        int counted = Integer.parseInt(find("#draft-" + seq + " [data-preview='audience']").getText().split(" ")[0]);
        assertTrue(counted >= ours, "the review counts our " + ours + " subscribers: " + counted);
        assertEquals("Publish to " + counted + " people", publish.getText());
        assertTrue(find("#draft-" + seq + " [data-preview='scopes']").getText().contains(scope),
                "the review says how many each scope brings");
        browser.screenshot(screenshot);
        assertAccessible("draft #" + seq);
        publish.click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                .until(d -> d.findElements(By.id("publish-" + seq)).isEmpty());
        browser.waitForText(By.id("delivery-title"), "Delivery"::equals);
    }

    @Test
    void onCallDeclaresInTwoLanguagesWatchesItGoOutUpdatesResolvesAndSignsOut() throws Exception {
        subscriber("anna", "email", "en");
        subscriber("bernd", "email", "de");
        String clara = subscriber("clara", "sms", "de");
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        browser.screenshot("console-incidents");
        assertAccessible("incidents");

        find("a[href='/console/incidents/new']").click();
        browser.waitForText(By.tagName("h1"), "Declare an incident"::equals);
        assertAccessible("declare (empty)");
        type("#title-en", "Card payments fail " + run);
        type("#title-de", "Kartenzahlungen schlagen fehl " + run);
        type("#f-otherScopes", scope);
        new Select(find("#f-severity")).selectByValue("critical");
        type("#explain-en", "Card payments fail at checkout since 09:10.");
        type("#explain-de", "Kartenzahlungen schlagen an der Kasse fehl.");
        type("input[name='option.1.code']", "1");
        type("input[name='option.1.label.en']", "Pay by invoice");
        type("input[name='option.1.label.de']", "Auf Rechnung zahlen");
        type("input[name='option.2.code']", "REFUND");
        type("input[name='option.2.label.en']", "Ask for a refund");
        type("input[name='option.2.label.de']", "Erstattung verlangen");
        String german = browser.waitForText(By.cssSelector("[data-preview='email-de']"),
                text -> text.contains("Kartenzahlungen schlagen an der Kasse fehl.") && text.contains("Erstattung verlangen"));
        assertFalse(german.contains("Pay by invoice"), "the German email is German only: " + german);
        browser.waitForText(By.cssSelector("[data-preview='audience']"), text -> text.matches("\\d+ recipients.*")
                && Integer.parseInt(text.split(" ")[0]) >= 3);
        String perScope = find("[data-preview='scopes']").getText();
        assertTrue(perScope.matches(".*" + java.util.regex.Pattern.quote(scope) + " \\d+.*"),
                "while typing, the preview counts the subscribers each scope reaches: " + perScope);

        find("#explain-de").sendKeys(" Wir arbeiten daran " + run + ".");
        browser.waitForText(By.cssSelector("[data-preview='email-de']"), text -> text.contains("Wir arbeiten daran " + run));
        assertTrue(find("[data-preview='sms-de']").getText().contains("REFUND"), "the SMS lists the codes");
        browser.screenshot("console-declare-preview");
        assertAccessible("declare (preview)");

        reviewAndPublish(1, 3, "console-draft");
        String key = find("h1").getText().split(":")[0];
        watchEveryoneReached(3);
        browser.screenshot("console-delivered");
        assertAccessible("incident");
        MimeMessage toBernd = Smtp.to("bernd-" + run + "@example.com").get(0);
        assertTrue(Smtp.text(toBernd).contains("Wir arbeiten daran " + run), "Bernd read the German message");
        assertEquals(1, twilio.requests().stream().filter(r -> clara.equals(r.form().get("To"))).count(), "Clara got one SMS");

        type("#u-explain-en", "We found the cause and are rolling back.");
        type("#u-explain-de", "Wir haben die Ursache gefunden.");
        new Select(find("#u-state")).selectByValue("identified");
        browser.waitForText(By.cssSelector("#update-preview [data-preview='email-de']"),
                text -> text.contains("Wir haben die Ursache gefunden."));
        reviewAndPublish(2, 3, "console-update-draft");
        watchEveryoneReached(6);

        new Select(find("#u-state")).selectByValue("resolved");
        type("#u-explain-en", "Card payments work again.");
        type("#u-explain-de", "Kartenzahlungen funktionieren wieder.");
        reviewAndPublish(3, 3, "console-resolve-draft");
        watchEveryoneReached(9);
        assertTrue(find("#incident-state").getText().startsWith("resolved"), find("#incident-state").getText());
        assertEquals(3, all("#timeline > li").size(), "declared, updated, resolved");
        assertTrue(find("#update-1").getText().contains("by user:admin"), find("#update-1").getText());
        browser.screenshot("console-resolved");

        find(".who button[type=submit]").click();
        browser.waitForText(By.tagName("h1"), "Sign in"::equals);
        open("/console/incidents/" + key);
        assertTrue(browser.driver().getCurrentUrl().contains("/console/sign-in"), "signed out, the console asks to sign in again");
        browser.screenshot("console-signed-out");
        assertAccessible("sign-in");
    }

    @Test
    void aViewerSeesTheDraftButNoPublishButtonAndTheirPostIsRefused() {
        String viewer = "viewer-" + run;
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        find("a[href='/console/users']").click();
        browser.waitForText(By.tagName("h1"), "Console users"::equals);
        type("#new-username", viewer);
        new Select(find("#new-role")).selectByValue("viewer");
        type("#new-password", "password-of-" + viewer);
        find("form[action='/console/users'] button[type=submit]").click();
        browser.waitForText(By.id("users"), text -> text.contains(viewer + " viewer"));
        browser.screenshot("console-users");
        assertAccessible("users");
        find(".who button[type=submit]").click();
        browser.waitForText(By.tagName("h1"), "Sign in"::equals);
        String key = asAdmin().body(Api.declaration("Viewer " + run, "minor", scope)
                .replace("\"owner\"", "\"draft\": true, \"owner\"")).post("/api/incidents").then().statusCode(201)
                .extract().path("key");
        signIn(viewer, "password-of-" + viewer);
        assertTrue(all("a[href='/console/incidents/new']").isEmpty(), "a viewer is not offered to declare");
        open("/console/incidents/" + key);
        browser.waitFor(By.id("draft-1"));
        assertTrue(all("#publish-1").isEmpty(), "but no publish button");
        assertTrue(all("#update").isEmpty(), "and no update form");
        browser.screenshot("console-viewer");
        assertAccessible("incident as a viewer");

        ConsoleSession session = ConsoleSession.signIn(viewer, "password-of-" + viewer, "10.7.0.1");
        session.form().post("/console/incidents/" + key + "/updates/1/publish").then().statusCode(403);
        assertEquals("draft", asAdmin().get("/api/incidents/" + key).then().extract().path("timeline[0].status"));
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        String key = asAdmin().body(Api.declaration("Csrf " + run, "minor", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        open("/console/incidents/" + key);
        browser.driver().executeScript("document.querySelectorAll(\"form[action$='/pause'] input[name=csrf]\").forEach(e => e.remove())");
        find("form[action$='/pause'] button").click();
        browser.waitForText(By.tagName("h1"), "Form expired"::equals);
        browser.screenshot("console-csrf-refused");
        assertEquals(Boolean.FALSE, asAdmin().get("/api/incidents/" + key).then().extract().path("paused"));
    }

    @Test
    void fiveWrongPasswordsThrottleTheAccountEvenForTheRightOne() {
        String name = "throttled-" + run;
        users.create(name, ConsoleRole.OPS, "password-of-" + name, Actor.SYSTEM);
        for (int i = 1; i <= 5; i++) {
            open("/console/sign-in");
            type("#username", name);
            type("#password", "wrong-" + i);
            find("form button[type=submit]").click();
            browser.waitForText(By.id("sign-in-error"), "Wrong username or password."::equals);
        }
        open("/console/sign-in");
        type("#username", name);
        type("#password", "password-of-" + name);
        find("form button[type=submit]").click();
        String refusal = browser.waitForText(By.id("sign-in-error"), text -> text.startsWith("Too many wrong passwords"));
        assertTrue(refusal.contains("Try again after"), refusal);
        browser.screenshot("console-throttled");
        assertEquals(429, ConsoleSession.postSignIn(name, "password-of-" + name, "10.7.0.2").statusCode(),
                "the account stays throttled from another address too");
    }

    @Test
    void twentyWrongPasswordsFromOneAddressThrottleItForEveryAccount() {
        String client = "10.6." + (run.hashCode() & 0x7f) + ".1";
        for (int i = 0; i < 20; i++) {
            assertEquals(401, ConsoleSession.postSignIn("nobody-" + i + "-" + run, "wrong", client).statusCode());
        }
        assertEquals(429, ConsoleSession.postSignIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD, client).statusCode());
        assertEquals(303, ConsoleSession.postSignIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD, "10.6.200.1").statusCode(),
                "another address is not held back");
        open("/console/sign-in");
        browser.screenshot("console-sign-in");
        assertAccessible("sign-in");
    }

    @Test
    void theKillSwitchSaysWhatItStopsAndStopsEverythingUntilResumed() {
        try {
            ConsoleSession session = ConsoleSession.signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD, "10.7.0.3");
            session.form().post("/console/delivery/pause").then().statusCode(400);
            assertEquals(Boolean.FALSE, asAdmin().get("/api/messaging").then().extract().path("paused"),
                    "without the confirmation nothing is paused");

            signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
            find("a[href='/console/delivery']").click();
            browser.waitForText(By.tagName("h1"), "Delivery, all incidents"::equals);
            String confirmation = find("#confirm-pause").findElement(By.xpath("..")).getText();
            assertTrue(confirmation.contains("waiting notification(s)") && confirmation.contains("held until messaging resumes"),
                    confirmation);
            assertAccessible("delivery");
            find("#confirm-pause").click();
            find("#pause-all").click();
            browser.waitForText(By.id("messaging-state"), "paused"::equals);
            assertEquals(Boolean.TRUE, asAdmin().get("/api/messaging").then().extract().path("paused"));
            assertTrue(find("#paused-banner").getText().startsWith("All messaging is paused"), "every page says so");
            browser.screenshot("console-paused");
            assertAccessible("delivery (paused)");
            find("#resume-all").click();
            browser.waitForText(By.id("messaging-state"), "running"::equals);
            assertEquals(Boolean.FALSE, asAdmin().get("/api/messaging").then().extract().path("paused"));
        } finally {
            asAdmin().post("/api/messaging/resume").then().statusCode(200);
        }
    }

    @Test
    void opsAddAComponentAndFollowItsStatusAsAnIncidentTouchesIt() {
        String component = "component:catalog-" + run;
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        find("a[href='/console/components']").click();
        browser.waitForText(By.tagName("h1"), "Components of the status page"::equals);
        type("#c-scope", component);
        type("#c-group", "Shop");
        type("#c-name-en", "Catalog " + run);
        type("#c-name-de", "Katalog " + run);
        find("#add-component").click();
        browser.waitForText(By.id("components"), text -> text.contains("Catalog " + run));
        assertAccessible("components");
        asAdmin().body(Api.declaration("Catalog down " + run, "major", component)).post("/api/incidents").then()
                .statusCode(201);
        open("/console/components/one?scope=" + component);
        assertTrue(find("#component-status").getText().contains("partial outage"), find("#component-status").getText());
        assertTrue(find("#status-history").getText().contains("partial outage"), find("#status-history").getText());
        assertEquals("Katalog " + run, find("#c-name-de").getAttribute("value"));
        browser.screenshot("console-component");
        assertAccessible("component");
    }

    @Test
    void theTemplatesPageShowsTheSetInUseItsLintAndAnyMessageInAnyLanguage() {
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        open("/console/templates?kind=resolved&locale=de&channel=email");
        assertTrue(find("#lint").getText().startsWith("No problem found"), find("#lint").getText());
        String sample = find("#template-sample").getText();
        assertTrue(sample.contains("Die Kasse ist gestört") && !sample.contains("Checkout is down"), sample);
        new Select(find("#t-channel")).selectByValue("sms");
        find("form[action='/console/templates'] button").click();
        browser.waitForText(By.cssSelector(".hint"), text -> true);
        assertTrue(browser.driver().getPageSource().contains("segment(s)"), "an SMS says its segments");
        browser.screenshot("console-templates");
        assertAccessible("templates");
    }

    @Test
    void supportFindsASubscriberMaskedSeesWhatTheyGotImportsAFileAndErasesOne() throws Exception {
        subscriber("dora", "email", "en");
        String key = asAdmin().body(Api.declaration("Support " + run, "critical", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        planAndDispatch();
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        find("a[href='/console/subscribers']").click();
        type("#q", run + "-do");
        find("form[role=search] button").click();
        String found = browser.waitForText(By.id("found"), text -> text.contains(run + "-dora"));
        assertFalse(found.contains("dora-" + run + "@example.com"), "the address is masked: " + found);
        assertAccessible("subscribers");
        find("#found a").click();
        String messages = browser.waitForText(By.id("messages"), text -> text.contains(key));
        assertTrue(messages.contains("sent"), messages);
        assertAccessible("subscriber");

        java.nio.file.Path file = java.nio.file.Files.createTempFile("import-", ".csv");
        java.nio.file.Files.writeString(file, """
                externalRef,email,subscriptions
                %s-erin,erin-%s@example.com,%s
                ,nobody,
                """.formatted(run, run, scope));
        open("/console/subscribers");
        find("#file").sendKeys(file.toAbsolutePath().toString());
        find("#import").click();
        String report = browser.waitForText(By.id("import-report"), text -> text.contains("imported"));
        assertTrue(report.contains("2 row(s): 1 imported, 1 rejected") && report.contains("Row 3"), report);
        browser.screenshot("console-import");
        assertAccessible("import");

        open("/console/subscribers/one?ref=" + run + "-dora");
        type("#confirm", run + "-dora");
        find("#erase").click();
        browser.waitForText(By.tagName("h1"), "Subscribers"::equals);
        asAdmin().get("/api/subscribers/" + run + "-dora").then().statusCode(404);
        java.nio.file.Files.deleteIfExists(file);
    }

    @Test
    void anAdminCreatesAnApiKeySeesItsSecretOnceAndRevokesIt() {
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        find("a[href='/console/keys']").click();
        browser.waitForText(By.tagName("h1"), "API keys"::equals);
        type("#key-name", "monitoring-" + run);
        new Select(find("#key-role")).selectByValue("events");
        find("#create-key").click();
        String secret = browser.waitForText(By.id("secret"), text -> text.startsWith("ick_"));
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + secret).get("/api/incidents/nope/summary")
                .then().statusCode(403);
        browser.screenshot("console-api-key");
        assertAccessible("api keys");
        open("/console/keys");
        assertFalse(browser.driver().getPageSource().contains(secret), "the secret is shown once");
        find("form[action='/console/keys/revoke'] input[value='monitoring-" + run + "'] ~ button").click();
        browser.waitForText(By.id("keys"), text -> text.contains("monitoring-" + run + " events") && text.contains("revoked"));
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + secret).get("/api/incidents/nope/summary")
                .then().statusCode(401);
    }

    @Test
    void plannedWorkIsDeclaredWithItsStartAndEndAndSetsAComponentsStatus() {
        String component = "component:planned-" + run;
        asAdmin().body("{\"names\": {\"en\": \"Planned " + run + "\"}}").put("/api/components/" + component).then()
                .statusCode(200);
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        open("/console/incidents/new");
        type("#title-en", "Database upgrade " + run);
        new Select(find("#f-kind")).selectByValue("maintenance");
        new Select(find("#f-severity")).selectByValue("minor");
        find("input[name='scope'][value='" + component + "']").click();
        String start = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusDays(3).withSecond(0).withNano(0)
                .withMinute(0).toString();
        String end = java.time.LocalDateTime.parse(start).plusHours(2).toString();
        browser.driver().executeScript("document.getElementById('f-startsAt').value = arguments[0];"
                + "document.getElementById('f-endsAt').value = arguments[1];", start, end);
        WebElement status = browser.driver().findElement(By.xpath("//select[@name='status." + component + "']"));
        new Select(status).selectByValue("degraded_performance");
        type("#explain-en", "We upgrade the database; checkout may be slow for up to two hours.");
        browser.waitForText(By.cssSelector("[data-preview='email-en']"), text -> text.contains("We upgrade the database"));
        browser.screenshot("console-planned");
        find("#review").click();
        browser.waitFor(By.id("publish-1")).click();
        browser.waitForText(By.id("incident-state"), text -> text.startsWith("scheduled"));
        String key = find("h1").getText().split(":")[0];
        var incident = asAdmin().get("/api/incidents/" + key).then().statusCode(200).extract();
        assertEquals(start + ":00Z", incident.path("startedAt"));
        assertEquals(end + ":00Z", incident.path("expectedEndAt"));
        assertEquals(io.incidentcomms.incident.ComponentStatus.DEGRADED_PERFORMANCE, statuses.current().get(component),
                "the status chosen with the update is the component's now");
    }

    @Test
    void everyPageReadsAt200PercentZoomWithoutScrollingSideways() {
        String key = asAdmin().body(Api.declaration("Zoom " + run, "major", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
        subscriber("zoe", "email", "en");
        signIn(ConsoleSession.ADMIN, ConsoleSession.ADMIN_PASSWORD);
        List<String> sideways = new java.util.ArrayList<>();
        try {
            browser.zoom(200);
            for (String page : List.of("/console", "/console/incidents/" + key, "/console/incidents/new",
                    "/console/delivery", "/console/components", "/console/templates", "/console/subscribers?q=" + run,
                    "/console/subscribers/one?ref=" + run + "-zoe", "/console/users", "/console/keys", "/console/password")) {
                open(page);
                if (browser.scrollsSideways()) {
                    sideways.add(page + " " + browser.widerThanTheWindow());
                    browser.screenshot("console-zoom-" + sideways.size());
                }
            }
            open("/console/incidents/new");
            browser.screenshot("console-declare-zoom-200");
        } finally {
            browser.zoom(100);
        }
        assertEquals(List.of(), sideways, "pages a reader must scroll sideways at 200 %");
    }
}
