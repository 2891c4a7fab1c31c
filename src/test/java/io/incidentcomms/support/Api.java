package io.incidentcomms.support;

import java.util.UUID;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Requests as the different callers of the API. */
public final class Api {

    public static final String ADMIN_KEY = "test-admin-key";

    /** JSON lines and CSV bodies are sent as the text they are. */
    private static final RestAssuredConfig CONFIG = RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
            .encodeContentTypeAs("application/x-ndjson", ContentType.TEXT)
            .encodeContentTypeAs("text/csv", ContentType.TEXT));

    private static RequestSpecification given() {
        return io.restassured.RestAssured.given().config(CONFIG);
    }

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON);
    }

    public static RequestSpecification asAnonymous() {
        return given().contentType(ContentType.JSON);
    }

    /** Creates a fresh key with the role and returns requests authenticated by it. */
    public static RequestSpecification as(String role) {
        String key = asAdmin().body("{\"name\":\"" + role + "-" + UUID.randomUUID() + "\",\"role\":\"" + role + "\"}")
                .post("/api/keys").then().statusCode(201).extract().path("key");
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A valid declaration with a unique title, affecting the given scope. */
    public static String declaration(String title, String severity, String scope) {
        return """
                {"title": "%s", "kind": "outage", "severity": "%s", "scopes": ["%s"],
                 "owner": {"name": "Dana Ops", "email": "dana@example.com"},
                 "explain": {"en": "Checkout fails for card payments.", "de": "Die Kasse lehnt Kartenzahlungen ab."},
                 "options": [{"code": "1", "label": {"en": "Pay by invoice", "de": "Auf Rechnung zahlen"}},
                             {"code": "REFUND", "label": {"en": "Ask for a refund", "de": "Erstattung verlangen"}}],
                 "confirm": {"en": "Will one of these work for you?", "de": "Passt eine davon für Sie?"}}
                """.formatted(title, severity, scope);
    }
}
