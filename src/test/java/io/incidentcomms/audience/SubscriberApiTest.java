package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SubscriberApiTest {

    static String ref() {
        return "cust-" + UUID.randomUUID();
    }

    @Test
    void aSubscriberIsCreatedWithNormalisedContactPoints() {
        String ref = ref();
        asAdmin().body("""
                {"externalRef": "%s", "name": "Ada Lovelace", "locale": "de-CH", "timeZone": "Europe/Zurich",
                 "tier": "priority", "email": "Ada@Example.COM", "phone": "+41 44 668 18 00",
                 "smsConsent": true, "consentSource": "signup form 2026-05", "subscriptions": ["component:checkout", "region:*"],
                 "quietHours": "22:00-07:00", "channelPreference": ["sms", "email"]}""".formatted(ref))
                .post("/api/subscribers").then().statusCode(201)
                .body("contactPoints.find { it.channel == 'email' }.address", is("ada@example.com"))
                .body("contactPoints.find { it.channel == 'sms' }.address", is("+41446681800"))
                .body("contactPoints.find { it.channel == 'sms' }.smsConsentAt", notNullValue())
                .body("tier", is("priority"))
                .body("quietHours", is("22:00-07:00"))
                .body("channelPreference", contains("sms", "email"))
                .body("subscriptions", contains("component:checkout", "region:*"));
        asAdmin().body("{\"externalRef\": \"" + ref + "\"}").post("/api/subscribers").then().statusCode(409);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "email|not-an-email", "phone|12345", "locale|not a locale", "timeZone|Mars/Olympus",
            "tier|gold", "quietHours|late", "email|=HYPERLINK(x)@example.com", "email|+cmd@example.com",
            "timeZone|SystemV/AST4" })
    void anInvalidFieldIsA400NamingIt(String field, String value) {
        asAdmin().body("{\"externalRef\": \"" + ref() + "\", \"" + field + "\": \"" + value + "\"}")
                .post("/api/subscribers").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    @Test
    void anInvalidSubscriptionScopeIsA400NamingIt() {
        asAdmin().body("{\"externalRef\": \"" + ref() + "\", \"subscriptions\": [\"region:*\", \"planet:earth\"]}")
                .post("/api/subscribers").then().statusCode(400).body("errors[0].field", is("subscriptions[1]"));
    }

    @Test
    void anImportWithBadRowsReportsTheirRowNumbersAndImportsTheRest() {
        String good1 = ref();
        String good2 = ref();
        String body = String.join("\n",
                "{\"externalRef\": \"" + good1 + "\", \"email\": \"one@example.com\"}",
                "{\"externalRef\": \"" + ref() + "\", \"email\": \"broken\"}",
                "{not json",
                "",
                "{\"externalRef\": \"" + good2 + "\", \"phone\": \"+447400123456\", \"smsConsent\": true, \"consentSource\": \"app\"}",
                "{\"name\": \"no ref\"}");
        asAdmin().contentType("application/x-ndjson").body(body).post("/api/subscribers/import")
                .then().statusCode(200)
                .body("imported", is(2))
                .body("rejected", is(3))
                .body("errors.row", contains(2, 3, 6))
                .body("errors.field", contains("email", "row", "externalRef"));
        asAdmin().get("/api/subscribers/" + good1).then().statusCode(200);
        asAdmin().get("/api/subscribers/" + good2).then().statusCode(200)
                .body("contactPoints[0].address", is("+447400123456"));
    }

    @Test
    void importUpsertsByRefKeepsAbsentFieldsReplacesSubscriptionsAndTheLastDuplicateWins() {
        String ref = ref();
        asAdmin().contentType("application/x-ndjson").body("""
                {"externalRef": "%1$s", "name": "First", "locale": "fr", "email": "a@example.com", "subscriptions": ["component:a", "component:b"]}
                """.formatted(ref)).post("/api/subscribers/import").then().statusCode(200).body("imported", is(1));

        asAdmin().contentType("application/x-ndjson").body("""
                {"externalRef": "%1$s", "name": "Second", "subscriptions": ["region:north"]}
                {"externalRef": "%1$s", "name": "Third"}
                """.formatted(ref)).post("/api/subscribers/import").then().statusCode(200);

        asAdmin().get("/api/subscribers/" + ref).then()
                .body("name", is("Third"))
                .body("locale", is("fr"))
                .body("contactPoints[0].address", is("a@example.com"))
                .body("subscriptions", contains("region:north"));
    }

    @Test
    void aCsvImportTakesTheSameFields() {
        String ref = ref();
        String csv = """
                externalRef,name,email,phone,smsConsent,consentSource,subscriptions,timeZone
                %s,Grace,grace@example.com,+14155550100,yes,kiosk,component:checkout;region:*,America/New_York
                ,Nobody,,,,,,
                """.formatted(ref);
        asAdmin().contentType("text/csv").body(csv).post("/api/subscribers/import").then().statusCode(200)
                .body("imported", is(1)).body("rejected", is(1)).body("errors[0].row", is(3));
        asAdmin().get("/api/subscribers/" + ref).then()
                .body("timeZone", is("America/New_York"))
                .body("subscriptions", contains("component:checkout", "region:*"))
                .body("contactPoints.find { it.channel == 'sms' }.consentSource", is("kiosk"));
    }

    @Test
    void theExportWritesSubscribersInTheImportFormat() {
        String ref = ref();
        asAdmin().body("{\"externalRef\": \"" + ref + "\", \"email\": \"export@example.com\", \"subscriptions\": [\"*\"]}")
                .post("/api/subscribers").then().statusCode(201);
        String export = asAdmin().get("/api/subscribers/export").then().statusCode(200).extract().asString();
        String line = export.lines().filter(l -> l.contains(ref)).findFirst().orElseThrow();
        asAdmin().contentType("application/x-ndjson").body(line.replace(ref, ref + "-copy"))
                .post("/api/subscribers/import").then().body("imported", is(1));
        asAdmin().get("/api/subscribers/" + ref + "-copy").then().body("contactPoints[0].address", is("export@example.com"))
                .body("subscriptions", contains("*"));
    }

    @Test
    void anOptOutThroughTheApiIsRecordedWithHowItCame() {
        String ref = ref();
        asAdmin().body("{\"externalRef\": \"" + ref + "\", \"email\": \"optout@example.com\"}").post("/api/subscribers")
                .then().statusCode(201);
        asAdmin().post("/api/subscribers/" + ref + "/contact-points/email/opt-out").then().statusCode(200)
                .body("contactPoints[0].optedOutAt", notNullValue())
                .body("contactPoints[0].optedOutVia", is("API"));
        asAdmin().post("/api/subscribers/" + ref + "/contact-points/sms/opt-out").then().statusCode(404);
    }

    @Test
    void anImportLargerThanTheApiBodyLimitStreamsIn() {
        String run = ref();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            rows.append("{\"externalRef\": \"").append(run).append('-').append(i)
                    .append("\", \"name\": \"Bulk subscriber number ").append(i)
                    .append("\", \"email\": \"bulk").append(i).append("@example.com\", \"subscriptions\": [\"location:bulk-")
                    .append(i % 7).append("\"]}\n");
        }
        org.junit.jupiter.api.Assertions.assertTrue(rows.length() > 512 * 1024);
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import")
                .then().statusCode(200).body("imported", is(6000)).body("rejected", is(0));
        asAdmin().get("/api/subscribers/" + run + "-5999").then().statusCode(200)
                .body("subscriptions", contains("location:bulk-0"));
    }

    @Test
    void aRefsRowsApplyInFileOrderWhenTheImportWritesThemInDifferentBatches() {
        String run = ref();
        StringBuilder rows = new StringBuilder("{\"externalRef\": \"" + run + "-x\", \"name\": \"First\", "
                + "\"email\": \"first@example.com\", \"subscriptions\": [\"component:first\"]}\n");
        for (int i = 0; i < 3000; i++) {
            rows.append("{\"externalRef\": \"").append(run).append('-').append(i).append("\", \"email\": \"filler")
                    .append(i).append("@example.com\"}\n");
        }
        rows.append("{\"externalRef\": \"" + run + "-x\", \"name\": \"Last\", \"subscriptions\": [\"component:last\"]}\n");

        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import")
                .then().statusCode(200).body("imported", is(3002)).body("rejected", is(0));

        asAdmin().get("/api/subscribers/" + run + "-x").then().statusCode(200)
                .body("name", is("Last"))
                .body("contactPoints[0].address", is("first@example.com"))
                .body("subscriptions", contains("component:last"));
        asAdmin().get("/api/subscribers/" + run + "-2999").then().statusCode(200);
    }

    @Test
    void theImportNeedsAKeyAndASupportedFormat() {
        io.restassured.RestAssured.given().contentType("application/x-ndjson").body("{}".getBytes())
                .post("/api/subscribers/import").then().statusCode(401).contentType("application/problem+json");
        io.restassured.RestAssured.given().header("Authorization", "Bearer wrong").contentType("application/x-ndjson")
                .body("{}".getBytes()).post("/api/subscribers/import").then().statusCode(401);
        asAdmin().contentType("application/xml").body("<x/>").post("/api/subscribers/import").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void unknownSubscribersAre404() {
        asAdmin().get("/api/subscribers/nobody-" + UUID.randomUUID()).then().statusCode(404)
                .body("detail", notNullValue()).body("errors", nullValue());
    }

    @Test
    void aCsvRecordWithAnUnquotedCommaIsReportedAndTheRestOfTheFileIsImported() {
        String first = ref();
        String last = ref();
        String csv = """
                externalRef,name,email
                %s,Grace,grace@example.com
                %s,Doe, Jane,jane@example.com
                %s,Linus,linus@example.com
                """.formatted(first, ref(), last);
        asAdmin().contentType("text/csv").body(csv).post("/api/subscribers/import").then().statusCode(200)
                .body("imported", is(2)).body("rejected", is(1)).body("errors[0].row", is(3))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("has 4 fields where the header has 3"));
        asAdmin().get("/api/subscribers/" + last).then().statusCode(200);
    }

    @Test
    void aJsonLinesRowThatIsNullOrEndlessIsARowErrorAndTheImportGoesOn() {
        String after = ref();
        String endless = "{\"externalRef\": \"" + ref() + "\", \"name\": \"" + "x".repeat(70_000) + "\"}";
        String rows = "null\n" + endless + "\n{\"externalRef\": \"" + after + "\", \"email\": \"a@example.com\"}\n";
        asAdmin().contentType("application/x-ndjson").body(rows).post("/api/subscribers/import").then().statusCode(200)
                .body("imported", is(1)).body("rejected", is(2))
                .body("errors.row", contains(1, 2))
                .body("errors[1].message", org.hamcrest.Matchers.containsString("longer than"));
        asAdmin().get("/api/subscribers/" + after).then().statusCode(200);
        asAdmin().contentType("application/x-ndjson").body("null").post("/api/subscribers/import").then().statusCode(200)
                .body("rejected", is(1));
    }
}
