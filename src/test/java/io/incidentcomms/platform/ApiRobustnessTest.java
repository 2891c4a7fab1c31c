package io.incidentcomms.platform;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.FreshDatabase;
import io.incidentcomms.support.openapi.ApiOperation;
import io.incidentcomms.support.openapi.RequestCase;
import io.incidentcomms.support.openapi.RequestCases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Robustness from the service's own OpenAPI document. For every operation it lists, requests are
 * generated from the schemas — well-formed ones and ones with a single fault each — and sent by
 * every kind of caller: anonymous and a key of each role. Whatever comes: no answer is a 5xx;
 * every 4xx is a problem+json (a page, for pages) with its status, and a 400 caused by a field
 * names that field; and no caller gets past an operation the role matrix below keeps them out
 * of. The matrix is the contract of {@code docs/SECURITY.md}: an operation the document lists
 * and the matrix does not is a failure, so a new endpoint cannot go undecided.
 *
 * <p>Seeded ({@code -Drobustness.seed}); {@code -Drobustness.tries} requests per operation and caller.
 */
@QuarkusTest
@TestProfile(ApiRobustnessTest.OwnDatabase.class)
class ApiRobustnessTest {

    static final long SEED = Long.getLong("robustness.seed", 20261202L);
    static final int TRIES = Integer.getInteger("robustness.tries", 6);

    /** Its own database: generated requests declare incidents and import subscribers that other tests need not see. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class, Map.of("database", "api_robustness")));
        }
    }

    /** Who may use an operation. */
    enum Access {
        /** Anyone; anonymous readers see only public incidents. */
        ANYONE,
        /** A source's or Twilio's signature; no API key opens it. */
        SIGNED,
        /** The customer's own token or link; no API key opens it. */
        CUSTOMER,
        OPS("ops", "admin"),
        SUBSCRIBERS("ops", "subscriber-sync", "admin"),
        SUBSCRIBER_EXPORT("ops", "admin"),
        EVENTS("events", "integration", "admin"),
        BOUNCES("bounces", "integration", "admin"),
        STATUSPAGE_API("ops", "statuspage", "admin"),
        ADMIN("admin");

        final Set<String> roles;

        Access(String... roles) {
            this.roles = Set.of(roles);
        }
    }

    static final String ANONYMOUS = "anonymous";
    static final List<String> CALLERS = List.of(ANONYMOUS, "ops", "events", "bounces", "subscriber-sync", "integration",
            "statuspage", "admin");

    /** The role matrix: every operation of the API and who may use it. */
    static final Map<String, Access> MATRIX = Map.ofEntries(
            Map.entry("GET /api/incidents", Access.ANYONE),
            Map.entry("GET /api/incidents/{key}", Access.ANYONE),
            Map.entry("POST /api/incidents", Access.OPS),
            Map.entry("POST /api/incidents/{key}/updates", Access.OPS),
            Map.entry("POST /api/incidents/{key}/updates/{seq}/publish", Access.OPS),
            Map.entry("GET /api/incidents/{key}/updates/{seq}/preview", Access.OPS),
            Map.entry("POST /api/incidents/{key}/pause", Access.OPS),
            Map.entry("POST /api/incidents/{key}/resume", Access.OPS),
            Map.entry("GET /api/incidents/{key}/audit", Access.OPS),
            Map.entry("POST /api/incidents/{key}/preview", Access.OPS),
            Map.entry("GET /api/incidents/{key}/audience", Access.OPS),
            Map.entry("GET /api/incidents/{key}/audience/recipients", Access.OPS),
            Map.entry("GET /api/incidents/{key}/deliveries", Access.OPS),
            Map.entry("GET /api/incidents/{key}/summary", Access.OPS),
            Map.entry("GET /api/incidents/{key}/not-reached", Access.OPS),
            Map.entry("GET /api/incidents/{key}/goodwill-codes", Access.OPS),
            Map.entry("POST /api/incidents/{key}/goodwill-codes", Access.OPS),
            Map.entry("GET /api/messaging", Access.OPS),
            Map.entry("POST /api/messaging/pause", Access.OPS),
            Map.entry("POST /api/messaging/resume", Access.OPS),
            Map.entry("GET /api/channels", Access.OPS),
            Map.entry("POST /api/channels/{channel}/resume", Access.OPS),
            Map.entry("GET /api/intents/failing", Access.OPS),
            Map.entry("GET /api/deadlines/failing", Access.OPS),
            Map.entry("POST /api/templates/lint", Access.OPS),
            Map.entry("POST /api/templates/reload", Access.ADMIN),
            Map.entry("GET /api/components", Access.ANYONE),
            Map.entry("GET /api/components/{scope}", Access.ANYONE),
            Map.entry("PUT /api/components/{scope}", Access.OPS),
            Map.entry("DELETE /api/components/{scope}", Access.OPS),
            Map.entry("POST /api/subscribers", Access.SUBSCRIBERS),
            Map.entry("POST /api/subscribers/import", Access.SUBSCRIBERS),
            Map.entry("GET /api/subscribers/{ref}", Access.SUBSCRIBERS),
            Map.entry("PUT /api/subscribers/{ref}", Access.SUBSCRIBERS),
            Map.entry("DELETE /api/subscribers/{ref}", Access.SUBSCRIBERS),
            Map.entry("POST /api/subscribers/{ref}/contact-points/{channel}/opt-out", Access.SUBSCRIBERS),
            Map.entry("GET /api/subscribers", Access.SUBSCRIBER_EXPORT),
            Map.entry("GET /api/subscribers/export", Access.SUBSCRIBER_EXPORT),
            Map.entry("POST /api/events", Access.EVENTS),
            Map.entry("POST /api/bounces", Access.BOUNCES),
            Map.entry("POST /v1/pages/{page_id}/incidents", Access.STATUSPAGE_API),
            Map.entry("GET /v1/pages/{page_id}/incidents", Access.STATUSPAGE_API),
            Map.entry("GET /v1/pages/{page_id}/incidents/{incident_id}", Access.STATUSPAGE_API),
            Map.entry("PATCH /v1/pages/{page_id}/incidents/{incident_id}", Access.STATUSPAGE_API),
            Map.entry("PUT /v1/pages/{page_id}/incidents/{incident_id}", Access.STATUSPAGE_API),
            Map.entry("GET /api/keys", Access.ADMIN),
            Map.entry("POST /api/keys", Access.ADMIN),
            Map.entry("DELETE /api/keys/{name}", Access.ADMIN),
            Map.entry("POST /api/hooks/{source}", Access.SIGNED),
            Map.entry("POST /api/email-events/{provider}", Access.SIGNED),
            Map.entry("POST /api/webhook-subscriptions", Access.OPS),
            Map.entry("GET /api/webhook-subscriptions", Access.OPS),
            Map.entry("DELETE /api/webhook-subscriptions/{id}", Access.OPS),
            Map.entry("POST /api/twilio/inbound", Access.SIGNED),
            Map.entry("POST /api/twilio/status", Access.SIGNED),
            Map.entry("GET /incidents/{key}", Access.ANYONE),
            Map.entry("GET /", Access.ANYONE),
            Map.entry("GET /history", Access.ANYONE),
            Map.entry("GET /feed.{format}", Access.ANYONE),
            Map.entry("GET /badge.svg", Access.ANYONE),
            Map.entry("GET /api/v2/summary.json", Access.ANYONE),
            Map.entry("GET /api/v2/status.json", Access.ANYONE),
            Map.entry("GET /api/v2/components.json", Access.ANYONE),
            Map.entry("GET /api/v2/incidents.json", Access.ANYONE),
            Map.entry("GET /api/v2/incidents/unresolved.json", Access.ANYONE),
            Map.entry("GET /api/v2/scheduled-maintenances.json", Access.ANYONE),
            Map.entry("GET /api/v2/scheduled-maintenances/upcoming.json", Access.ANYONE),
            Map.entry("GET /api/v2/scheduled-maintenances/active.json", Access.ANYONE),
            Map.entry("GET /subscribe", Access.ANYONE),
            Map.entry("POST /subscribe", Access.ANYONE),
            Map.entry("GET /subscribe/confirm", Access.CUSTOMER),
            Map.entry("POST /subscribe/confirm", Access.CUSTOMER),
            Map.entry("POST /subscribe/verify", Access.CUSTOMER),
            Map.entry("GET /local/messages", Access.ANYONE),
            Map.entry("GET /m/{id}", Access.CUSTOMER),
            Map.entry("GET /self-service", Access.CUSTOMER),
            Map.entry("POST /self-service/opt-out", Access.CUSTOMER),
            Map.entry("POST /self-service/opt-out/undo", Access.CUSTOMER),
            Map.entry("POST /self-service/unsubscribe", Access.CUSTOMER),
            Map.entry("POST /self-service/mute", Access.CUSTOMER),
            Map.entry("POST /self-service/drop-scope", Access.CUSTOMER),
            Map.entry("POST /self-service/preferences", Access.CUSTOMER),
            Map.entry("GET /self-service/answer", Access.CUSTOMER),
            Map.entry("POST /self-service/answer", Access.CUSTOMER));

    static final ObjectMapper JSON = new ObjectMapper();
    private String previous = "nothing";
    private int previousStatus;
    // HTTP/1.1 as the service speaks it (no cleartext HTTP/2 upgrade; TLS and HTTP/2 belong to the proxy in front)
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static String document() {
        return RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    }

    @Test
    void theDocumentDeclaresItsSecuritySchemesAndTagsAndEveryOperationIsInTheRoleMatrix() throws Exception {
        JsonNode document = JSON.readTree(document());
        assertEquals(Set.of("apiKey", "webhookSignature", "twilioSignature"),
                fieldNames(document.path("components").path("securitySchemes")));
        assertEquals("bearer", document.at("/components/securitySchemes/apiKey/scheme").asText());
        Set<String> tags = fieldValues(document.path("tags"), "name");
        List<ApiOperation> operations = ApiOperation.all(document.toString());
        Set<String> listed = new TreeSet<>();
        for (ApiOperation operation : operations) {
            listed.add(operation.name());
            JsonNode described = document.path("paths").path(operation.path()).path(operation.method().toLowerCase(Locale.ROOT));
            JsonNode operationTags = described.path("tags");
            assertTrue(operationTags.size() == 1 && tags.contains(operationTags.get(0).asText()),
                    operation.name() + " has one of the document's tags: " + operationTags);
            Access access = MATRIX.get(operation.name());
            assertTrue(access != null, operation.name() + " is missing from the role matrix (and docs/SECURITY.md)");
            if (access.roles.size() > 0) {
                assertTrue(described.path("security").toString().contains("\"apiKey\""),
                        operation.name() + " declares the API key scheme");
            }
        }
        assertEquals(new TreeSet<>(MATRIX.keySet()), listed, "the matrix lists exactly the document's operations");
    }

    @Test
    void aDotSegmentIsJudgedByTheResourceThePathResolvesTo() {
        assertEquals(Access.ANYONE, resolvedAccess("GET", "/m/..", Access.CUSTOMER));
        assertEquals(Access.ANYONE, resolvedAccess("GET", "/m/%2E%2e", Access.CUSTOMER));
        assertEquals(Access.OPS, resolvedAccess("GET", "/api/incidents/../incidents/X-1/audit", Access.ANYONE));
        assertEquals(Access.CUSTOMER, resolvedAccess("GET", "/m/..x", Access.CUSTOMER));
        assertEquals(Access.OPS, resolvedAccess("POST", "/api/incidents/../nothing", Access.OPS));
    }

    @TestFactory
    Stream<DynamicTest> everyOperationWithEveryCallerAndGeneratedRequests() throws Exception {
        Map<String, String> keys = keysPerRole();
        Map<String, String> known = seed();
        RequestCases cases = new RequestCases(known);
        Random random = RequestCases.seeded(SEED);
        return ApiOperation.all(document()).stream().map(operation -> DynamicTest.dynamicTest(operation.name(), () -> {
            Access access = MATRIX.get(operation.name());
            assertTrue(access != null, operation.name() + " is missing from the role matrix");
            List<String> failures = new ArrayList<>();
            for (String caller : CALLERS) {
                for (int i = 0; i < TRIES; i++) {
                    RequestCase request = cases.next(operation, random);
                    check(operation, access, caller, keys.get(caller), request, cases, random, failures);
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " answer(s) broke the rules (seed " + SEED + "):\n"
                        + failures.stream().limit(15).collect(Collectors.joining("\n")));
            }
        }));
    }

    private void check(ApiOperation operation, Access access, String caller, String key, RequestCase request,
            RequestCases cases, Random random, List<String> failures) throws Exception {
        HttpResponse<String> response;
        try {
            response = sendAfter(operation, key, request);
        } catch (java.io.IOException e) {
            failures.add("no answer (" + e.getMessage() + "): " + caller + " " + request.describe(operation.method())
                    + " [after " + previous + "]");
            return;
        }
        previous = caller + " " + request.kind() + " " + operation.name() + " -> " + response.statusCode();
        previousStatus = response.statusCode();
        int status = response.statusCode();
        String what = caller + " " + request.describe(operation.method()) + " -> " + status + " "
                + cut(response.body());
        if (status >= 500) {
            failures.add("a 5xx: " + what);
            return;
        }
        Access judged = resolvedAccess(operation.method(), request.path(), access);
        boolean mayUse = judged == Access.ANYONE || judged.roles.contains(caller);
        if (!mayUse && status < 400) {
            failures.add("let in a caller the matrix keeps out: " + what);
        }
        if (!mayUse && access.roles.size() > 0 && request.wellFormed() && status != 401 && status != 403) {
            failures.add("a caller without the role is not told 401/403: " + what);
        }
        if (status == 414 || status == 431) {
            // the HTTP codec refuses a request line or headers over its limits before any of the
            // service's code runs, with a bare status (quarkusio/quarkus#55082): nothing to check
            return;
        }
        if (status >= 400) {
            checkErrorBody(operation, response, what, failures);
            // a page tells a customer what went wrong in their words, not which field
            if (mayUse && !operation.page() && (status == 400 || status == 422) && request.brokenField() != null) {
                checkFieldNamed(operation, key, request, response, what, failures);
            }
        }
    }

    /**
     * A path parameter of "." or ".." is a dot segment, not a value: the server removes it
     * (RFC 3986, 5.2.4) and the request names the resource the path resolves to, e.g. {@code
     * GET /m/..} is {@code GET /}. Such a request is judged by that resource's row of the matrix.
     */
    static Access resolvedAccess(String method, String requestPath, Access access) {
        String path = requestPath.replaceAll("(?i)%2e", ".");
        if (!path.matches("(.*/)?\\.{1,2}(/.*)?")) {
            return access;
        }
        String resolved = URI.create(path).normalize().getPath();
        String target = method + " " + (resolved.isEmpty() ? "/" : resolved);
        return MATRIX.entrySet().stream()
                .filter(e -> target.matches(e.getKey().replace(".", "\\.").replaceAll("\\{[^}]+}", "[^/]+")))
                .map(Map.Entry::getValue).findFirst().orElse(access);
    }

    /** A 400 for a faulty field names it, unless the request without the fault is refused as well. */
    private void checkFieldNamed(ApiOperation operation, String key, RequestCase request, HttpResponse<String> response,
            String what, List<String> failures) throws Exception {
        String field = request.brokenField().toLowerCase(Locale.ROOT);
        String problem = response.body().toLowerCase(Locale.ROOT);
        if (problem.contains(field)) {
            return;
        }
        int twin = send(operation, key, request.twin()).statusCode();
        if (twin == 400 || twin == 422) {
            return;
        }
        failures.add("a 400 that does not name the faulty field '" + request.brokenField() + "' (its well-formed twin got "
                + twin + "): " + what);
    }

    private static void checkErrorBody(ApiOperation operation, HttpResponse<String> response, String what,
            List<String> failures) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String body = response.body();
        if (body.contains("\tat ") || body.contains("Exception:") || body.contains("at io.incidentcomms")) {
            failures.add("a stack trace in the answer: " + what);
        }
        // a body refused for its size or framing is refused before any page could be chosen
        boolean refusedUnread = response.statusCode() == 411 || response.statusCode() == 413;
        if (operation.page() && !refusedUnread) {
            if (!type.startsWith("text/html")) {
                failures.add("a page's error is not a page: " + type + " " + what);
            }
            return;
        }
        if (!type.startsWith("application/problem+json")) {
            failures.add("a 4xx that is not problem+json (" + type + "): " + what);
            return;
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.path("status").asInt() != response.statusCode() || problem.path("title").asText().isEmpty()) {
                failures.add("a problem without its status and title: " + what);
            }
        } catch (Exception e) {
            failures.add("a problem+json that is no JSON: " + what);
        }
    }

    /**
     * Sends; once more on a new connection when the last answer was the HTTP codec's bare 414 or
     * 431, which closes the connection without saying so (the client finds out on the next request).
     */
    private HttpResponse<String> sendAfter(ApiOperation operation, String key, RequestCase request) throws Exception {
        try {
            return send(operation, key, request);
        } catch (java.io.IOException e) {
            if (previousStatus != 414 && previousStatus != 431) {
                throw e;
            }
            previousStatus = 0;
            return send(operation, key, request);
        }
    }

    private HttpResponse<String> send(ApiOperation operation, String key, RequestCase request) throws Exception {
        StringBuilder uri = new StringBuilder("http://localhost:" + RestAssured.port + request.path());
        if (!request.query().isEmpty()) {
            uri.append('?').append(request.query().entrySet().stream()
                    .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(60))
                .header("Accept", operation.page() ? "text/html" : "*/*");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        request.headers().forEach((name, value) -> {
            // a header holds visible ASCII; the client refuses anything else before it is sent
            String clean = value.replaceAll("[^\\x21-\\x7e ]", "?").strip();
            builder.header(name, clean.isEmpty() ? "x" : clean);
        });
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        builder.method(operation.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A key of each role, named so that no generated name revokes one. */
    private static Map<String, String> keysPerRole() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ANONYMOUS, null);
        for (String role : CALLERS.subList(1, CALLERS.size())) {
            keys.put(role, asAdmin().body("{\"name\":\"robust-" + role + "-" + java.util.UUID.randomUUID()
                    + "\",\"role\":\"" + role + "\"}").post("/api/keys").then().statusCode(201).extract().path("key"));
        }
        return keys;
    }

    /** Things for well-formed requests to find: a public incident, a subscriber, a component. */
    private static Map<String, String> seed() {
        String incident = asAdmin().body(Api.declaration("Robustness", "major", "component:robust"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        asAdmin().body("{\"externalRef\": \"robust-seed\", \"email\": \"seed@example.com\", \"subscriptions\": "
                + "[\"component:robust\"]}").post("/api/subscribers").then().statusCode(201);
        asAdmin().body("{\"names\": {\"en\": \"Robust\"}}").put("/api/components/component:robust").then().statusCode(200);
        return Map.of("key", incident, "ref", "robust-seed", "seq", "1", "scope", "component:robust",
                "source", "monitoring", "channel", "email");
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> fieldValues(JsonNode array, String field) {
        Set<String> values = new TreeSet<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }

    private static String cut(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
