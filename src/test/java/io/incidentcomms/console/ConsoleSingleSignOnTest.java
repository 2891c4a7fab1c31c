package io.incidentcomms.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUser;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.support.Browser;
import io.incidentcomms.support.ConsoleSession;
import io.incidentcomms.support.OidcProviderStub;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Single sign-on through the organisation's OpenID Connect provider (a local one that signs in
 * whoever the test names): the provider's groups decide the console role, the console then keeps its
 * own session, and nobody at the provider can take a password user's name.
 */
@QuarkusTest
@TestProfile(ConsoleSingleSignOnTest.WithProvider.class)
class ConsoleSingleSignOnTest {

    static OidcProviderStub provider;

    public static class WithProvider implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Provider.class));
        }
    }

    public static class Provider implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                provider = new OidcProviderStub();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "comms.console.oidc.issuer", provider.issuer(),
                    "comms.console.oidc.client-id", OidcProviderStub.CLIENT_ID,
                    "comms.console.oidc.client-secret", OidcProviderStub.CLIENT_SECRET,
                    "comms.console.oidc.provider-name", "Example ID",
                    "comms.console.oidc.roles.admin", "console-admins",
                    "comms.console.oidc.roles.ops", "on-call,incident-leads",
                    "comms.console.oidc.roles.viewer", "support");
        }

        @Override
        public void stop() {
            provider.close();
        }
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Inject
    ConsoleUsers users;
    @Inject
    AuditLog audit;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void honestProvider() {
        provider.signWithForeignKey(false);
    }

    @Test
    void anOnCallEngineerSignsInThroughTheProviderAsOpsAndLandsWhereTheyWereGoing() {
        String name = "dana-" + run;
        provider.signsInNext(name, "on-call", "everyone");

        Hops hops = followSignIn("/console/sso?next=/console/delivery");

        assertEquals(303, hops.last().statusCode(), hops.describe());
        assertEquals("/console/delivery", java.net.URI.create(hops.last().header("Location")).getPath(),
                "back where they were going");
        ConsoleSession session = ConsoleSession.of(hops.consoleSession(), "10.9.0.1");
        String page = session.request().get("/console").then().statusCode(200).extract().asString();
        assertTrue(page.contains(name), "the console names who is signed in");
        assertEquals(ConsoleRole.OPS, userNamed(name).role);
        assertTrue(userNamed(name).signsInThroughProvider());
        assertNull(userNamed(name).passwordHash, "no password is kept for a single sign-on user");
        assertTrue(hops.providerSessionCleared(), "the provider's own session cookie is dropped: "
                + hops.describe());
        assertTrue(audit.forTarget(name).stream()
                .anyMatch(e -> e.action().equals("console.sign-in") && "single sign-on".equals(e.detail())
                        && e.actor().equals("user:" + name)));
        // the console's own rules apply from here: its CSRF token guards forms as after a password
        session.form().post("/console/sign-out").then().statusCode(303);
        session.request().get("/console").then().statusCode(303);
    }

    @Test
    void theHighestMappedGroupDecidesAndTheRoleFollowsTheProviderAtEverySignIn() {
        String name = "erin-" + run;
        provider.signsInNext(name, "support", "console-admins");
        followSignIn("/console/sso");
        assertEquals(ConsoleRole.ADMIN, userNamed(name).role);

        provider.signsInNext(name, "support");
        Hops again = followSignIn("/console/sso");

        assertEquals(303, again.last().statusCode(), again.describe());
        assertEquals(ConsoleRole.VIEWER, userNamed(name).role, "taken out of the admins' group at the provider");
        ConsoleSession viewer = ConsoleSession.of(again.consoleSession(), "10.9.0.2");
        viewer.request().get("/console/users").then().statusCode(403);
    }

    @Test
    void someoneWhoseGroupsGiveNoRoleIsTurnedAwayWithoutASession() {
        String name = "sales-" + run;
        provider.signsInNext(name, "sales");

        Hops hops = followSignIn("/console/sso");

        assertEquals(403, hops.last().statusCode(), hops.describe());
        assertTrue(hops.last().asString().contains("no console role"), hops.last().asString());
        assertNull(hops.consoleSession(), "no console session for them");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> ConsoleUser.count("username", name)),
                "no user is made for them");
    }

    @Test
    void theProviderCannotTakeTheNameOfAPasswordUser() {
        String name = "local-" + run;
        users.create(name, ConsoleRole.VIEWER, "password-of-" + name, Actor.SYSTEM);
        provider.signsInNext(name, "console-admins");

        Hops hops = followSignIn("/console/sso");

        assertEquals(403, hops.last().statusCode(), hops.describe());
        assertTrue(hops.last().asString().contains("signs in with a password here"), hops.last().asString());
        assertNull(hops.consoleSession());
        assertEquals(ConsoleRole.VIEWER, userNamed(name).role, "the local user is untouched");
        ConsoleSession.signIn(name, "password-of-" + name, "10.9.0.3");
    }

    @Test
    void anIdTokenNotSignedByTheProvidersKeyOpensNothing() {
        provider.signsInNext("forged-" + run, "console-admins");
        provider.signWithForeignKey(true);

        Hops hops = followSignIn("/console/sso");

        assertTrue(hops.urls().get(hops.urls().size() - 1).contains("code="),
                "refused when coming back from the provider with the code: " + hops.describe());
        assertEquals(401, hops.last().statusCode(), hops.describe());
        assertNull(hops.consoleSession());
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> ConsoleUser.count("username", "forged-" + run)));
    }

    @Test
    void theSignInPageOffersTheProviderBesideThePasswordForm() {
        String page = given().get("/console/sign-in?next=/console/delivery").then().statusCode(200).extract().asString();

        assertTrue(page.contains("Sign in with Example ID"), page);
        assertTrue(page.contains("href=\"/console/sso?next=%2Fconsole%2Fdelivery\""), page);
        assertTrue(page.contains("name=\"password\""), "passwords still work beside single sign-on");

        try (Browser browser = Browser.start()) {
            browser.open(base + "console/sign-in");
            org.openqa.selenium.WebElement button = browser.waitFor(org.openqa.selenium.By.cssSelector(".single-sign-on a"));
            assertEquals("Sign in with Example ID", button.getText());
            assertTrue(button.isDisplayed());
            browser.screenshot("console-sign-in-sso");
            assertEquals(List.of(), browser.accessibilityProblems(), "serious or critical accessibility problems");
        }
    }

    private static ConsoleUser userNamed(String name) {
        return QuarkusTransaction.requiringNew().call(() -> ConsoleUser.<ConsoleUser> find("username", name).firstResult());
    }

    /** The responses of one sign-in, hop by hop, as a browser follows them with each site's cookies. */
    record Hops(List<String> urls, List<Response> responses, Map<String, String> consoleCookies, List<String> setCookies) {
        Response last() {
            return responses.get(responses.size() - 1);
        }

        String consoleSession() {
            return consoleCookies.get("console_session");
        }

        boolean providerSessionCleared() {
            return setCookies.stream().anyMatch(c -> c.startsWith("q_session_console-sso=") && c.contains("Max-Age=0"))
                    && !consoleCookies.containsKey("q_session_console-sso");
        }

        String describe() {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < responses.size(); i++) {
                lines.add(urls.get(i) + " -> " + responses.get(i).statusCode() + " " + responses.get(i).header("Location"));
            }
            Response last = last();
            if (last.statusCode() >= 400) {
                lines.add(last.headers().toString());
                lines.add(last.asString().substring(0, Math.min(600, last.asString().length())));
            }
            return String.join("\n", lines);
        }
    }

    private Hops followSignIn(String start) {
        Map<String, String> cookies = new LinkedHashMap<>();
        List<String> urls = new ArrayList<>();
        List<Response> responses = new ArrayList<>();
        List<String> setCookies = new ArrayList<>();
        String url = start;
        for (int hop = 0; hop < 10; hop++) {
            boolean atProvider = url.startsWith(provider.issuer());
            var request = given().redirects().follow(false).urlEncodingEnabled(false);
            if (!atProvider) {
                request.cookies(cookies);
            }
            Response response = request.get(url);
            urls.add(url);
            responses.add(response);
            if (!atProvider) {
                setCookies.addAll(response.headers().getValues("Set-Cookie"));
                for (Cookie cookie : response.detailedCookies()) {
                    if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                        cookies.remove(cookie.getName());
                    } else {
                        cookies.put(cookie.getName(), cookie.getValue());
                    }
                }
            }
            String location = response.header("Location");
            if (response.statusCode() / 100 != 3 || location == null
                    || !(location.startsWith(provider.issuer()) || java.net.URI.create(location).getPath().equals("/console/sso"))) {
                return new Hops(urls, responses, cookies, setCookies);
            }
            url = location;
        }
        throw new AssertionError("sign-in went round in circles: " + urls);
    }
}
