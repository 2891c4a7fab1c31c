package io.incidentcomms.platform;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProblemDetailsTest {

    @Test
    void malformedJsonIsABadRequestProblemWithoutInternals() {
        asAdmin().body("{\"title\": \"Broken\", ").post("/api/incidents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("status", org.hamcrest.Matchers.is(400))
                .body("detail", containsString("not valid JSON"))
                .body(not(containsString("com.fasterxml")))
                .body(not(containsString("Exception")));
    }

    @Test
    void aBodyFailingValidationNamesEachFieldAtFault() {
        asAdmin().body("""
                {"title": "", "kind": "outage", "severity": "major", "scopes": ["component:checkout"],
                 "explain": {"en": "x"}}""")
                .post("/api/incidents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("validation"))
                .body("errors.field", hasItem("title"))
                .body("errors.find { it.field == 'title' }.message", notNullValue());
    }

    @Test
    void anUnknownScopeKindIsRejectedNamingTheScopeField() {
        asAdmin().body(Api.declaration("Bad scope", "major", "planet:mars"))
                .post("/api/incidents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].field", org.hamcrest.Matchers.is("scopes[0]"))
                .body("errors[0].message", containsString("unknown scope kind 'planet'"));
    }

    @Test
    void anUnknownEnumValueIsAFieldErrorListingTheAllowedValues() {
        asAdmin().body(Api.declaration("Bad severity", "apocalyptic", "component:checkout"))
                .post("/api/incidents")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.is("severity"))
                .body("errors[0].message", containsString("critical, major, minor"));
    }

    @Test
    void aBodyOverTheLimitIsRejectedAsTooLarge() {
        String huge = "x".repeat(300 * 1024);
        asAdmin().body("{\"title\": \"" + huge + "\"}").post("/api/incidents")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void anUnknownAddressIsANotFoundProblem() {
        asAnonymous().get("/api/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.is(404));
    }

    @Test
    void anUnknownIncidentIsANotFoundProblem() {
        asAnonymous().get("/api/incidents/INC-1999-9999").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("INC-1999-9999"));
    }
}
