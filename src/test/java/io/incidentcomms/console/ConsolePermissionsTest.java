package io.incidentcomms.console;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.audit.Actor;
import io.incidentcomms.support.Api;
import io.incidentcomms.support.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Who may do what in the console, route by route and role by role: an anonymous visitor is sent
 * to sign in (pages) or refused (forms); a role below the route's is refused; the route's role and
 * those above it get through; a form without the session's CSRF token is refused. The table below
 * is the specification, and the test fails when a console route is missing from it.
 */
@QuarkusTest
class ConsolePermissionsTest {

    /** Stands for "anyone, signed in or not" in the table (a map entry cannot hold null). */
    static final ConsoleRole ANYONE = null;

    static Map.Entry<String, ConsoleRole> route(String route, ConsoleRole least) {
        return new java.util.AbstractMap.SimpleEntry<>(route, least);
    }

    @SafeVarargs
    static Map<String, ConsoleRole> routes(Map.Entry<String, ConsoleRole>... entries) {
        Map<String, ConsoleRole> routes = new TreeMap<>();
        for (Map.Entry<String, ConsoleRole> entry : entries) {
            routes.put(entry.getKey(), entry.getValue());
        }
        return routes;
    }

    /** Every console route and the least role it needs; {@link #ANYONE}: anyone, signed in or not. */
    static final Map<String, ConsoleRole> ROUTES = routes(
            route("GET /console", ConsoleRole.VIEWER),
            route("GET /console/incidents/{key}", ConsoleRole.VIEWER),
            route("GET /console/incidents/{key}/watch", ConsoleRole.VIEWER),
            route("GET /console/password", ConsoleRole.VIEWER),
            route("POST /console/password", ConsoleRole.VIEWER),
            route("POST /console/sign-out", ConsoleRole.VIEWER),
            route("GET /console/sign-in", ANYONE),
            route("POST /console/sign-in", ANYONE),
            route("GET /console/sso", ANYONE),
            route("GET /console/incidents/new", ConsoleRole.OPS),
            route("POST /console/incidents/new/preview", ConsoleRole.OPS),
            route("POST /console/incidents", ConsoleRole.OPS),
            route("POST /console/incidents/{key}/updates/preview", ConsoleRole.OPS),
            route("POST /console/incidents/{key}/updates", ConsoleRole.OPS),
            route("POST /console/incidents/{key}/updates/{seq}/publish", ConsoleRole.OPS),
            route("POST /console/incidents/{key}/pause", ConsoleRole.OPS),
            route("POST /console/incidents/{key}/resume", ConsoleRole.OPS),
            route("GET /console/delivery", ConsoleRole.VIEWER),
            route("POST /console/delivery/pause", ConsoleRole.OPS),
            route("POST /console/delivery/resume", ConsoleRole.OPS),
            route("POST /console/delivery/channels/{channel}/resume", ConsoleRole.OPS),
            route("GET /console/components", ConsoleRole.VIEWER),
            route("GET /console/components/one", ConsoleRole.VIEWER),
            route("POST /console/components", ConsoleRole.OPS),
            route("POST /console/components/remove", ConsoleRole.OPS),
            route("GET /console/templates", ConsoleRole.VIEWER),
            route("GET /console/subscribers", ConsoleRole.VIEWER),
            route("GET /console/subscribers/one", ConsoleRole.VIEWER),
            route("POST /console/subscribers/erase", ConsoleRole.OPS),
            route("POST /console/subscribers/import", ConsoleRole.OPS),
            route("GET /console/subscribers/import", ConsoleRole.OPS),
            route("GET /console/subscribers/export", ConsoleRole.OPS),
            route("GET /console/keys", ConsoleRole.ADMIN),
            route("POST /console/keys", ConsoleRole.ADMIN),
            route("POST /console/keys/revoke", ConsoleRole.ADMIN),
            route("GET /console/users", ConsoleRole.ADMIN),
            route("POST /console/users", ConsoleRole.ADMIN),
            route("POST /console/users/remove", ConsoleRole.ADMIN));

    /** Every class of the console package with a {@code @Path}, found on the class path (a new page cannot be missed). */
    static List<Class<?>> consoleResources() {
        try {
            List<Class<?>> resources = new ArrayList<>();
            var folders = ConsolePermissionsTest.class.getClassLoader().getResources("io/incidentcomms/console");
            while (folders.hasMoreElements()) {
                java.net.URL folder = folders.nextElement();
                if (!"file".equals(folder.getProtocol())) {
                    continue;
                }
                try (var files = java.nio.file.Files.list(java.nio.file.Path.of(folder.toURI()))) {
                    for (String file : files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class")).toList()) {
                        Class<?> type = Class.forName("io.incidentcomms.console." + file.replace(".class", ""));
                        if (type.isAnnotationPresent(Path.class) && !resources.contains(type)) {
                            resources.add(type);
                        }
                    }
                }
            }
            return resources;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    ConsoleUsers users;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Map<ConsoleRole, String> usernames = new TreeMap<>();
    String key;

    @BeforeEach
    void usersAndAnIncidentWithADraft() {
        for (ConsoleRole role : ConsoleRole.values()) {
            String name = role.wire() + "-" + run;
            users.create(name, role, "password-of-" + name, Actor.SYSTEM);
            usernames.put(role, name);
        }
        key = asAdmin().body(Api.declaration("Permissions " + run, "minor", "component:perm-" + run)
                .replace("\"owner\"", "\"draft\": true, \"owner\"")).post("/api/incidents").then().statusCode(201)
                .extract().path("key");
    }

    ConsoleSession as(ConsoleRole role) {
        String name = usernames.get(role);
        return ConsoleSession.signIn(name, "password-of-" + name, "10.9." + role.ordinal() + "." + (run.hashCode() & 0x7f));
    }

    @Test
    void theTableNamesEveryConsoleRoute() {
        assertEquals(new TreeSet<>(ROUTES.keySet()), new TreeSet<>(discoveredRoutes()));
    }

    @Test
    void anAnonymousVisitorIsSentToSignInFromPagesAndRefusedOnForms() {
        for (Map.Entry<String, ConsoleRole> route : ROUTES.entrySet()) {
            io.restassured.specification.RequestSpecification anonymous = io.restassured.RestAssured.given().redirects()
                    .follow(false).header("X-Forwarded-For", "10.8.0." + (run.hashCode() & 0x7f));
            Response answer = call(route.getKey(), MULTIPART.contains(route.getKey()) ? anonymous.multiPart("note", "x")
                    : anonymous.contentType("application/x-www-form-urlencoded").formParam("username", "")
                            .formParam("password", ""));
            if (route.getValue() == null) {
                // the page itself answers (single sign-on says it is not set up here), never a refusal
                assertTrue(answer.statusCode() == 200 || answer.asString().contains("Wrong username or password")
                        || answer.asString().contains("Single sign-on is not set up"),
                        route.getKey() + " is open to anyone: " + answer.statusCode());
            } else if (route.getKey().startsWith("GET")) {
                assertEquals(303, answer.statusCode(), route.getKey());
                assertTrue(answer.header("Location").contains("/console/sign-in?next="), route.getKey());
            } else {
                assertEquals(401, answer.statusCode(), route.getKey());
            }
        }
    }

    @Test
    void eachRoleReachesItsRoutesAndIsRefusedTheOthers() {
        List<String> wrong = new ArrayList<>();
        for (ConsoleRole role : ConsoleRole.values()) {
            ConsoleSession session = as(role);
            for (Map.Entry<String, ConsoleRole> route : ROUTES.entrySet()) {
                if (route.getValue() == null || route.getKey().endsWith("/sign-out")) {
                    continue;
                }
                int status = call(route.getKey(), withToken(route.getKey(), session, session.csrf())).statusCode();
                boolean allowed = role.includes(route.getValue());
                if (allowed ? status == 401 || status == 403 : status != 403) {
                    wrong.add(role.wire() + " " + route.getKey() + " -> " + status);
                }
            }
            Response out = call("POST /console/sign-out", session.form());
            assertEquals(303, out.statusCode(), role + " signs out");
            assertEquals(303, session.request().get("/console").statusCode(), "after signing out, " + role + " is sent to sign in");
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyFormRefusesAPostWithoutTheSessionsCsrfToken() {
        ConsoleSession admin = as(ConsoleRole.ADMIN);
        List<String> accepted = new ArrayList<>();
        for (String route : ROUTES.keySet()) {
            if (!route.startsWith("POST") || ROUTES.get(route) == null) {
                continue;
            }
            int without = call(route, withToken(route, admin, null)).statusCode();
            int wrongToken = call(route, withToken(route, admin, "not-" + admin.csrf())).statusCode();
            if (without != 403 || wrongToken != 403) {
                accepted.add(route + " -> " + without + "/" + wrongToken);
            }
        }
        assertEquals(List.of(), accepted);
        assertEquals(303, admin.form().post("/console/incidents/" + key + "/pause").statusCode(),
                "the same form with the token goes through");
    }

    @Test
    void aProblemIsAnsweredWithAConsolePageNotJson() {
        ConsoleSession ops = as(ConsoleRole.OPS);
        Response unknown = ops.request().accept("text/html").get("/console/incidents/INC-1999-9999");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.contentType().startsWith("text/html") && unknown.asString().contains("Not found")
                && unknown.asString().contains("INC-1999-9999 does not exist"), unknown.asString());
        ops.form().post("/console/incidents/" + key + "/updates/1/publish").then().statusCode(303);
        Response again = ops.form().accept("text/html").post("/console/incidents/" + key + "/updates/1/publish");
        assertEquals(409, again.statusCode());
        assertTrue(again.asString().contains("Not possible now") && again.asString().contains("already published"),
                again.asString());
    }

    /** Routes that take a file, so a multipart form. */
    static final java.util.Set<String> MULTIPART = java.util.Set.of("POST /console/subscribers/import");

    /** A request with the form a browser would send to the route, carrying {@code token} (none when null). */
    static io.restassured.specification.RequestSpecification withToken(String route, ConsoleSession session, String token) {
        io.restassured.specification.RequestSpecification request = session.request();
        if (MULTIPART.contains(route)) {
            request.multiPart("note", "x");
            return token == null ? request : request.multiPart("csrf", token);
        }
        request.contentType("application/x-www-form-urlencoded").formParam("x", "y");
        return token == null ? request : request.formParam("csrf", token);
    }

    Response call(String route, io.restassured.specification.RequestSpecification request) {
        String[] parts = route.split(" ", 2);
        String path = parts[1].replace("{key}", key).replace("{seq}", "1").replace("{channel}", "email");
        return parts[0].equals("GET") ? request.get(path) : request.post(path);
    }

    static List<String> discoveredRoutes() {
        List<String> routes = new ArrayList<>();
        List<Class<?>> resources = consoleResources();
        assertTrue(resources.size() >= 10, "found the console's resources: " + resources);
        for (Class<?> resource : resources) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb == null) {
                    continue;
                }
                Path path = method.getAnnotation(Path.class);
                routes.add(verb + " " + (path == null ? base : base + "/" + path.value()));
            }
        }
        return routes;
    }
}
