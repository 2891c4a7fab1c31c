package io.incidentcomms.statuspage;

import static io.incidentcomms.support.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code /api/v2/*.json} answers have Statuspage's shape, field by field: the same fields at
 * every level as in a real Statuspage summary (status.twilio.com's, captured in 2020, test resource
 * {@code statuspage-summary.json}; see {@code CAPTURES.md}), plus the component fields Statuspage
 * added since, as a 2022 capture shows them; values of the same JSON type (a field Statuspage may
 * leave null may be null), and only Statuspage's enum values.
 */
@QuarkusTest
class StatuspageApiContractTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Set<String>> ENUMS = Map.of(
            "component.status", Set.of("operational", "degraded_performance", "partial_outage", "major_outage",
                    "under_maintenance"),
            "incident.status", Set.of("investigating", "identified", "monitoring", "resolved", "postmortem"),
            "maintenance.status", Set.of("scheduled", "in_progress", "verifying", "completed"),
            "impact", Set.of("none", "minor", "major", "critical", "maintenance"),
            "indicator", Set.of("none", "minor", "major", "critical"));

    /** Component fields Statuspage added after the 2020 capture; {@code statuspage-summary-2022.json} has them. */
    static final Set<String> LATER_COMPONENT_FIELDS = Set.of("start_date");

    static JsonNode fixture;
    static JsonNode later;
    final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void readFixture() throws IOException {
        fixture = read("statuspage-summary.json");
        later = read("statuspage-summary-2022.json");
    }

    JsonNode read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void theCapturesHaveTheEnumsAndTheLaterFieldsThisTestHoldsTheAnswersTo() {
        List<String> problems = new ArrayList<>();
        enums(fixture, "twilio-2020", problems);
        enums(later, "github-2022", problems);
        assertEquals(List.of(), problems);
        for (JsonNode component : later.path("components")) {
            assertTrue(names(component).containsAll(LATER_COMPONENT_FIELDS), component.toString());
        }
        for (JsonNode component : fixture.path("components")) {
            assertTrue(java.util.Collections.disjoint(names(component), LATER_COMPONENT_FIELDS), component.toString());
        }
        assertTrue(fixture.at("/incidents/0/incident_updates/0/affected_components").isArray()
                && fixture.path("scheduled_maintenances").size() > 0, "the capture has what the answers are held to");
    }

    /** A group with a component, an open incident on it, planned work to come and planned work going on. */
    void publicState() {
        String member = "component:contract-" + run;
        asAdmin().body("{\"names\": {\"en\": \"Checkout " + run + "\"}, \"group\": \"Shop " + run + "\", \"position\": 1}")
                .put("/api/components/" + member).then().statusCode(200);
        asAdmin().body("""
                {"title": "Card payments fail %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail at checkout."}}""".formatted(run, member))
                .post("/api/incidents").then().statusCode(201);
        Instant start = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        asAdmin().body("""
                {"title": "Database upgrade %s", "kind": "maintenance", "severity": "minor", "scopes": ["%s"],
                 "startedAt": "%s", "expectedEndAt": "%s", "explain": {"en": "We upgrade the database."}}"""
                .formatted(run, member, start, start.plus(2, ChronoUnit.HOURS)))
                .post("/api/incidents").then().statusCode(201);
        String going = asAdmin().body("""
                {"title": "Index rebuild %s", "kind": "maintenance", "severity": "minor", "scopes": ["%s"],
                 "startedAt": "%s", "explain": {"en": "We rebuild the search index."}}"""
                .formatted(run, member, Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES)))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        asAdmin().body("{\"state\": \"in_progress\", \"explain\": {\"en\": \"Started.\"}}")
                .post("/api/incidents/" + going + "/updates").then().statusCode(201);
    }

    @Test
    void everyEndpointHasStatuspagesFieldsTypesAndEnums() throws IOException {
        publicState();
        JsonNode summary = get("summary.json");
        assertShape(fixture, summary, "summary");
        assertTrue(summary.path("incidents").size() > 0 && summary.path("scheduled_maintenances").size() > 1,
                "the open incident and both maintenances are in the summary: " + summary);

        assertShape(only(fixture, "page", "status"), get("status.json"), "status");
        assertShape(only(fixture, "page", "components"), get("components.json"), "components");
        assertShape(only(fixture, "page", "incidents"), get("incidents.json"), "incidents");
        assertShape(only(fixture, "page", "incidents"), get("incidents/unresolved.json"), "unresolved");
        for (String path : List.of("scheduled-maintenances.json", "scheduled-maintenances/upcoming.json",
                "scheduled-maintenances/active.json")) {
            assertShape(only(fixture, "page", "scheduled_maintenances"), get(path), path);
        }
        assertEquals("scheduled", get("scheduled-maintenances/upcoming.json").at("/scheduled_maintenances/0/status").asText());
        assertEquals("in_progress", get("scheduled-maintenances/active.json").at("/scheduled_maintenances/0/status").asText());
    }

    @Test
    void theReadApiIsOpenToAnyOriginAndRevalidatesWithItsEtag() {
        String etag = given().get("/api/v2/summary.json").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*").header("Cache-Control", org.hamcrest.Matchers.startsWith("public"))
                .extract().header("ETag");
        given().header("If-None-Match", etag).get("/api/v2/summary.json").then().statusCode(304);
    }

    JsonNode get(String path) throws IOException {
        return JSON.readTree(given().get("/api/v2/" + path).then().statusCode(200).contentType("application/json")
                .extract().asString());
    }

    static JsonNode only(JsonNode object, String... fields) {
        var copy = JSON.createObjectNode();
        for (String field : fields) {
            copy.set(field, object.get(field));
        }
        return copy;
    }

    static void assertShape(JsonNode expected, JsonNode actual, String path) {
        List<String> problems = new ArrayList<>();
        compare(expected, actual, path, problems);
        if (!problems.isEmpty()) {
            fail(problems.size() + " difference(s) from Statuspage's shape:\n" + String.join("\n", problems));
        }
    }

    /** Same fields, same types, Statuspage's enums; arrays element by element against the fixture's element of that kind. */
    static void compare(JsonNode expected, JsonNode actual, String path, List<String> problems) {
        if (expected.isNull() || actual.isNull()) {
            return; // a field Statuspage may leave null may be null, and the other way round
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(path + ": an object in Statuspage's shape, here " + actual.getNodeType());
                return;
            }
            Set<String> want = names(expected);
            if (expected.has("only_show_if_degraded")) {
                want.addAll(LATER_COMPONENT_FIELDS);
            }
            Set<String> have = names(actual);
            if (!want.equals(have)) {
                problems.add(path + ": fields " + have + " where Statuspage has " + want);
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (actual.has(field)) {
                    compare(expected.get(field), actual.get(field), path + "." + field, problems);
                }
            }
            checkEnums(actual, path, problems);
            return;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                problems.add(path + ": an array in Statuspage's shape");
                return;
            }
            for (int i = 0; i < actual.size(); i++) {
                JsonNode element = actual.get(i);
                JsonNode model = modelFor(expected, element);
                if (model != null) {
                    compare(model, element, path + "[" + i + "]", problems);
                }
            }
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            problems.add(path + ": " + actual.getNodeType() + " where Statuspage has " + expected.getNodeType());
        }
    }

    /** The fixture element to hold an element against: a group against the group, a component against a component. */
    static JsonNode modelFor(JsonNode expected, JsonNode element) {
        if (expected.isEmpty()) {
            return null;
        }
        for (JsonNode candidate : expected) {
            if (!candidate.has("group") || candidate.path("group").asBoolean() == element.path("group").asBoolean()) {
                return candidate;
            }
        }
        return expected.get(0);
    }

    /** Every object's enum fields, all the way down. */
    static void enums(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            checkEnums(node, path, problems);
            node.fields().forEachRemaining(f -> enums(f.getValue(), path + "." + f.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                enums(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    static void checkEnums(JsonNode object, String path, List<String> problems) {
        boolean maintenance = object.has("scheduled_for");
        boolean incident = object.has("incident_updates") || object.has("incident_id");
        check(object, "impact", "impact", path, problems);
        check(object, "indicator", "indicator", path, problems);
        if (object.has("status") && object.get("status").isTextual()) {
            String kind = path.contains("scheduled_maintenances") && (maintenance || incident) ? "maintenance.status"
                    : incident ? "incident.status" : object.has("only_show_if_degraded") ? "component.status" : null;
            if (kind != null) {
                check(object, "status", kind, path, problems);
            }
        }
    }

    static void check(JsonNode object, String field, String enumName, String path, List<String> problems) {
        if (object.has(field) && object.get(field).isTextual() && !ENUMS.get(enumName).contains(object.get(field).asText())) {
            problems.add(path + "." + field + ": '" + object.get(field).asText() + "' is none of " + ENUMS.get(enumName));
        }
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
