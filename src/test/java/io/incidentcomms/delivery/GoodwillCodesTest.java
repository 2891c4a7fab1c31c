package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;

/** A resolution's goodwill gesture: each recipient their own code from the pool, as far as it goes. */
@QuarkusTest
class GoodwillCodesTest extends DeliveringTest {

    static final Pattern CODE = Pattern.compile("Your personal code: (THANKS-[0-9]+)\\.");
    static final String OFFER = "As a thank-you, your next delivery is free.";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:goodwill-" + run;

    @BeforeEach
    void drainEarlierWork() {
        planAndDispatch();
        Smtp.purge();
    }

    @Test
    void aPoolOf100CodesFor120RecipientsGives100DistinctCodesAndWarnsOfThe20Without() {
        StringBuilder rows = new StringBuilder();
        IntStream.range(0, 120).forEach(i -> rows.append("""
                {"externalRef": "%s-%d", "email": "r%d.%s@example.com", "subscriptions": ["%s"]}
                """.formatted(run, i, i, run, scope)));
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import").then()
                .statusCode(200);
        String key = asAdmin().body("""
                {"title": "Deliveries late %s", "kind": "delay", "severity": "minor", "scopes": ["%s"],
                 "explain": {"en": "Deliveries are late by a day."}}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        Smtp.purge();
        // subscribers of earlier tests with wildcard subscriptions (*, component:*) hear of every
        // incident; they were created first, so the pool's first codes go to them
        int others = (int) asAdmin().queryParam("size", 500).get("/api/incidents/" + key + "/deliveries").then().extract()
                .jsonPath().getList("items.subscriber", String.class).stream().distinct().filter(s -> !s.startsWith(run))
                .count();

        int pool = 100 + others;
        String codes = String.join("\n", IntStream.range(0, pool).mapToObj(i -> "THANKS-" + (1000 + i)).toList()) + "\n";
        asAdmin().contentType("text/plain").body(codes).post("/api/incidents/" + key + "/goodwill-codes").then()
                .statusCode(200).body("added", is(pool)).body("free", is(pool));
        JsonPath draft = asAdmin().body("""
                {"state": "resolved", "explain": {"en": "Deliveries are on time again."}, "goodwill": "%s", "draft": true}"""
                .formatted(OFFER)).post("/api/incidents/" + key + "/updates").then().statusCode(201)
                .body("review.goodwill.codesFree", is(pool))
                .body("review.goodwill.recipientsWithoutCode", is(20))
                .body("warnings", hasItem(Matchers.containsString("; 20 get the offer without a code")))
                .extract().jsonPath();
        asAdmin().post("/api/incidents/" + key + "/updates/" + draft.getInt("seq") + "/publish").then().statusCode(200);
        planAndDispatch();

        List<String> delivered = new ArrayList<>();
        int withoutCode = 0;
        for (int i = 0; i < 120; i++) {
            List<MimeMessage> resolved = Smtp.to("r" + i + "." + run + "@example.com").stream()
                    .filter(m -> Smtp.subject(m).startsWith("Resolved:")).toList();
            assertEquals(1, resolved.size(), "recipient " + i + " hears of the resolution once");
            String text = Smtp.text(resolved.get(0));
            assertTrue(text.contains(OFFER), "everyone gets the offer: " + text);
            Matcher code = CODE.matcher(text);
            if (code.find()) {
                delivered.add(code.group(1));
                assertTrue(Smtp.html(resolved.get(0)).contains(code.group(1)), "the HTML part has the same code");
            } else {
                withoutCode++;
            }
        }
        Set<String> distinct = new HashSet<>(delivered);
        assertEquals(100, delivered.size(), "100 messages with a code");
        assertEquals(100, distinct.size(), "no code goes to two people");
        assertEquals(20, withoutCode, "20 messages with the offer and no code");
        asAdmin().get("/api/incidents/" + key + "/goodwill-codes").then().body("free", is(0)).body("given", is(pool));
        asAdmin().queryParam("size", 500).get("/api/incidents/" + key + "/deliveries").then()
                .body("items.findAll { it.updateSeq == 2 && it.goodwillCode != null }.size()", is(pool));
    }

    @Test
    void aCodeOfAnErasedSubscriberIsNeverGivenAgainAndCodesAreLettersAndDigitsOnly() {
        asAdmin().body("""
                {"externalRef": "%s-erased", "email": "erased.%s@example.com", "subscriptions": ["%s"]}"""
                .formatted(run, run, scope)).post("/api/subscribers").then().statusCode(201);
        String key = asAdmin().body("""
                {"title": "Late %s", "kind": "delay", "severity": "minor", "scopes": ["%s"],
                 "explain": {"en": "Deliveries are late by a day."}}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        asAdmin().contentType("text/plain").body("<b>x</b>\n").post("/api/incidents/" + key + "/goodwill-codes").then()
                .statusCode(400).body("errors[0].field", is("line 1"));
        // a code for everyone told (earlier tests' wildcard subscribers hear of every incident)
        long told = asAdmin().queryParam("size", 500).get("/api/incidents/" + key + "/deliveries").then().extract()
                .jsonPath().getList("items.subscriber", String.class).stream().distinct().count();
        String file = String.join("\n", IntStream.range(0, (int) told).mapToObj(i -> "GIFT-" + run + "-" + i).toList());
        asAdmin().contentType("text/plain").body(file).post("/api/incidents/" + key + "/goodwill-codes").then()
                .statusCode(200).body("free", is((int) told));
        asAdmin().body("{\"state\": \"resolved\", \"goodwill\": \"" + OFFER + "\"}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAndDispatch();
        String ours = asAdmin().queryParam("size", 500).get("/api/incidents/" + key + "/deliveries").then().extract()
                .jsonPath().getString("items.find { it.updateSeq == 2 && it.subscriber == '" + run + "-erased' }.goodwillCode");
        assertTrue(ours != null && ours.startsWith("GIFT-"), "our subscriber got a code: " + ours);

        asAdmin().delete("/api/subscribers/" + run + "-erased").then().statusCode(204);
        asAdmin().contentType("text/plain").body(file).post("/api/incidents/" + key + "/goodwill-codes").then()
                .statusCode(200).body("added", is(0)).body("free", is(0)).body("given", is((int) told));
    }
}
