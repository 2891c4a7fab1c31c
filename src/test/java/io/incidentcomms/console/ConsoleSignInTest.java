package io.incidentcomms.console;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.support.ConsoleSession;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Sessions as a browser holds them: the cookie's attributes, the headers of every console page,
 * where sign-in may send a user on, and when a session ends (sign-out, a new password, idleness).
 */
@QuarkusTest
class ConsoleSignInTest {

    @Inject
    ConsoleUsers users;
    @Inject
    AuditLog audit;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String name = "ops-" + run;
    final String password = "password-of-" + name;
    final String client = "10.5." + (run.hashCode() & 0x7f) + ".1";

    @BeforeEach
    void user() {
        users.create(name, ConsoleRole.OPS, password, Actor.SYSTEM);
    }

    @AfterEach
    void clock() {
        TestClockProducer.testClock().reset();
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndScopedToTheConsole() {
        Response signedIn = ConsoleSession.postSignIn(name, password, client);
        assertEquals(303, signedIn.statusCode());
        String cookie = signedIn.header("Set-Cookie");
        assertTrue(cookie.startsWith("console_session="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertTrue(cookie.contains("Path=/console"), cookie);
    }

    @Test
    void everyConsolePageForbidsFramingInlineScriptAndCaching() {
        ConsoleSession session = ConsoleSession.signIn(name, password, client);
        for (String path : new String[] { "/console", "/console/incidents/new", "/console/password", "/console/sign-in" }) {
            Response page = session.request().get(path);
            assertEquals(200, page.statusCode(), path);
            String csp = page.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
                    && !csp.contains("unsafe-inline"), path + ": " + csp);
            assertEquals("same-origin", page.header("Referrer-Policy"), path);
            assertEquals("no-store", page.header("Cache-Control"), path);
            assertEquals("nosniff", page.header("X-Content-Type-Options"), path);
        }
    }

    @Test
    void signInSendsOnOnlyToAConsolePageOfThisSite() {
        for (String next : new String[] { "https://evil.example/console", "//evil.example/console", "/\\evil.example",
                "/console/../api/keys", "/console/%2e%2e/api/keys" }) {
            Response answer = io.restassured.RestAssured.given().redirects().follow(false).header("X-Forwarded-For", client)
                    .contentType("application/x-www-form-urlencoded").formParam("username", name)
                    .formParam("password", password).formParam("next", next).post("/console/sign-in");
            String location = answer.header("Location");
            assertTrue(location.endsWith("/console") || location.contains("/console/incidents"), next + " -> " + location);
            assertTrue(!location.contains("evil") && !location.contains(".."), next + " -> " + location);
        }
    }

    @Test
    void aNewPasswordSignsOutEveryOtherSessionOfTheUser() {
        ConsoleSession here = ConsoleSession.signIn(name, password, client);
        ConsoleSession elsewhere = ConsoleSession.signIn(name, password, client);
        here.form().formParam("current", password).formParam("password", "a-new-long-password")
                .formParam("repeat", "a-new-long-password").post("/console/password").then().statusCode(200)
                .body(containsString("Your password is changed"));
        assertEquals(200, here.request().get("/console").statusCode(), "the session that changed it stays");
        assertEquals(303, elsewhere.request().get("/console").statusCode(), "the other one is signed out");
        assertEquals(401, ConsoleSession.postSignIn(name, password, client).statusCode(), "the old password is gone");
        assertEquals(303, ConsoleSession.postSignIn(name, "a-new-long-password", client).statusCode());
    }

    @Test
    void aShortPasswordOrAWrongCurrentOneIsRefusedWithTheReason() {
        ConsoleSession session = ConsoleSession.signIn(name, password, client);
        session.form().formParam("current", password).formParam("password", "short").formParam("repeat", "short")
                .post("/console/password").then().statusCode(400).body(containsString("at least 12 characters"));
        session.form().formParam("current", "not-it").formParam("password", "a-new-long-password")
                .formParam("repeat", "a-new-long-password").post("/console/password").then().statusCode(400)
                .body(containsString("is not your current password"));
    }

    @Test
    void aSessionUnusedForItsIdleTimeEnds() {
        ConsoleSession session = ConsoleSession.signIn(name, password, client);
        TestClockProducer.testClock().advance(Duration.ofHours(7));
        assertEquals(200, session.request().get("/console").statusCode(), "used within 8 hours, it lives on");
        TestClockProducer.testClock().advance(Duration.ofHours(8).plusMinutes(1));
        Response page = session.request().get("/console");
        assertEquals(303, page.statusCode(), "unused for 8 hours, it has ended");
    }

    @Test
    void signingInAndFailingToAreInTheAuditLogWithTheName() {
        ConsoleSession.postSignIn(name, "wrong", client);
        ConsoleSession.postSignIn(name, password, client);
        var actions = audit.forTarget(name).stream().map(AuditLog.AuditEntryView::action).toList();
        assertTrue(actions.contains("console.sign-in-failed") && actions.contains("console.sign-in"), actions.toString());
        assertTrue(audit.forTarget(name).stream().filter(e -> e.action().startsWith("console.sign-in"))
                .allMatch(e -> e.actor().equals("user:" + name)));
    }
}
