package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Never promise what cannot be kept: at 1 SMS segment per second, 1,000 two-segment SMS take
 * 2,000 s (estimated on the late side at 2,205 s), longer than a critical incident's 30 minutes,
 * so the promise becomes the estimate plus the 5-minute margin, rounded up; ops see the estimate
 * before publishing.
 */
@QuarkusTest
class KeepablePromiseTest {

    @Inject
    SenderPacing pacing;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    Instant t0;

    @BeforeEach
    void slowSmsAndAStoppedClock() {
        pacing.overrideRate(Channel.SMS, 1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        t0 = now.plus(Duration.ofMinutes(5 - now.atZone(ZoneOffset.UTC).getMinute() % 5));
        TestClockProducer.testClock().freezeAt(t0);
    }

    @AfterEach
    void reset() {
        pacing.reset();
        TestClockProducer.testClock().reset();
    }

    String audienceOf(int subscribers, String scope) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < subscribers; i++) {
            rows.append("{\"externalRef\": \"").append(run).append('-').append(i).append("\", \"phone\": \"+44740071")
                    .append(String.format("%04d", i)).append("\", \"smsConsent\": true, \"consentSource\": \"test\", ")
                    .append("\"subscriptions\": [\"").append(scope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import").then()
                .statusCode(200);
        return scope;
    }

    /** A critical draft on the scope; paused, so publishing it plans nothing for the rest of the suite. */
    String draft(String scope) {
        String key = asAdmin().body("""
                {"title": "Promise %s", "kind": "outage", "severity": "critical", "scopes": ["%s"],
                 "explain": {"en": "Card payments fail."}, "draft": true}""".formatted(run, scope))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        asAdmin().post("/api/incidents/" + key + "/pause").then().statusCode(200);
        return key;
    }

    @Test
    void aPromiseTheSmsRateCannotKeepIsStretchedToTheDeliveryEstimatePlusTheMargin() {
        String key = draft(audienceOf(1000, "component:promise-" + run));

        asAdmin().get("/api/incidents/" + key + "/audience").then().statusCode(200)
                .body("perChannel.sms", Matchers.is(1000))
                .body("deliveryEstimateSeconds", Matchers.is(3305)); // 1,000 SMS of up to 3 segments: 3,000 s, a tenth and 5 s more
        String stretched = t0.plus(Duration.ofMinutes(65)).toString(); // 55 min 5 s + 5 min, rounded up
        asAdmin().get("/api/incidents/" + key + "/updates/1/preview").then().statusCode(200)
                .body("nextUpdateBy", Matchers.is(stretched));
        asAdmin().post("/api/incidents/" + key + "/updates/1/publish").then().statusCode(200)
                .body("nextUpdateBy", Matchers.is(stretched));
    }

    @Test
    void aPromiseTheRateCanKeepStaysTheSeveritysInterval() {
        String key = draft(audienceOf(100, "component:promise-small-" + run));
        asAdmin().get("/api/incidents/" + key + "/audience").then().body("deliveryEstimateSeconds", Matchers.is(335));
        asAdmin().post("/api/incidents/" + key + "/updates/1/publish").then().statusCode(200)
                .body("nextUpdateBy", Matchers.is(t0.plus(Duration.ofMinutes(30)).toString()));
    }
}
