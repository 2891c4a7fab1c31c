package io.incidentcomms.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A console user signed in over HTTP, as a browser would be: the session cookie, and the CSRF
 * token the console's pages carry. Each session signs in from its own client address
 * ({@code X-Forwarded-For}, honoured in tests) so that sign-in throttling per address stays per test.
 */
public final class ConsoleSession {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    private final String cookie;
    private final String csrf;
    private final String client;

    private ConsoleSession(String cookie, String csrf, String client) {
        this.cookie = cookie;
        this.csrf = csrf;
        this.client = client;
    }

    /** Posts the sign-in form; answers the raw response (for tests of sign-in itself). */
    public static Response postSignIn(String username, String password, String client) {
        return given().redirects().follow(false).header("X-Forwarded-For", client).contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", password).post("/console/sign-in");
    }

    public static ConsoleSession signIn(String username, String password, String client) {
        Response signedIn = postSignIn(username, password, client);
        if (signedIn.statusCode() != 303 || signedIn.cookie("console_session") == null) {
            throw new AssertionError("sign-in of " + username + " answered " + signedIn.statusCode());
        }
        return of(signedIn.cookie("console_session"), client);
    }

    /** The session of a cookie the console set (after a password or single sign-on), with its page's CSRF token. */
    public static ConsoleSession of(String cookie, String client) {
        String page = given().redirects().follow(false).cookie("console_session", cookie).get("/console").then()
                .statusCode(200).extract().asString();
        Matcher token = CSRF.matcher(page);
        if (!token.find()) {
            throw new AssertionError("the console page carries no CSRF token");
        }
        return new ConsoleSession(cookie, token.group(1), client);
    }

    /** A request with the session's cookie, following no redirect. */
    public RequestSpecification request() {
        return given().redirects().follow(false).header("X-Forwarded-For", client).cookie("console_session", cookie);
    }

    /** A form post with the session's CSRF token in it. */
    public RequestSpecification form() {
        return request().contentType("application/x-www-form-urlencoded").formParam("csrf", csrf);
    }

    public String csrf() {
        return csrf;
    }

    public String cookie() {
        return cookie;
    }
}
