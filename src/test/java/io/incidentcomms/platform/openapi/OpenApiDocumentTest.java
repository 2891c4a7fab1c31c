package io.incidentcomms.platform.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document as a newcomer reads it in Swagger UI: operations grouped under the
 * features' names (never a Java class's), and request schemas with only the fields a client sends
 * (no property made from a validation method, such as {@code meaningful}).
 */
@QuarkusTest
class OpenApiDocumentTest {

    JsonNode document() throws Exception {
        return new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void everyOperationIsTaggedWithAFeatureTheDocumentDescribes() throws Exception {
        JsonNode doc = document();
        Set<String> described = new TreeSet<>();
        doc.path("tags").forEach(tag -> described.add(tag.path("name").asText()));
        Set<String> used = new TreeSet<>();
        doc.path("paths").forEach(item -> item.forEach(operation -> operation.path("tags")
                .forEach(tag -> used.add(tag.asText()))));
        used.removeAll(described);
        assertEquals(Set.of(), used, "tags not among the document's features (named after classes?)");
    }

    @Test
    void requestSchemasHoldNoPropertyMadeFromAValidationMethod() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        List<String> internal = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> schema = it.next();
            schema.getValue().path("properties").fieldNames().forEachRemaining(property -> {
                if (Set.of("meaningful", "plannedStartGiven", "reachable", "valid").contains(property)) {
                    internal.add(schema.getKey() + "." + property);
                }
            });
        }
        assertEquals(List.of(), internal);
    }
}
