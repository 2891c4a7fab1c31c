package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The scopes offered to ops are those subscribers hear about most, recounted after a few minutes. */
@QuarkusTest
class ScopesInUseTest {

    @Inject
    ScopesInUse scopes;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void clock() {
        TestClockProducer.testClock().reset();
    }

    @Test
    void aScopeManySubscribersHearAboutIsOfferedWithAboutHowMany() {
        scopes.mostUsed();
        String scope = "region:in-use-" + run;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            rows.append("{\"externalRef\": \"").append(run).append("-s").append(i).append("\", \"email\": \"s").append(i)
                    .append('.').append(run).append("@example.com\", \"subscriptions\": [\"").append(scope).append("\"]}\n");
        }
        asAdmin().contentType("application/x-ndjson").body(rows.toString()).post("/api/subscribers/import").then()
                .statusCode(200);
        assertTrue(scopes.mostUsed().stream().noneMatch(s -> s.scope().equals(scope)), "counted a moment ago, kept");
        TestClockProducer.testClock().advance(Duration.ofMinutes(6));
        ScopesInUse.InUse found = scopes.mostUsed().stream().filter(s -> s.scope().equals(scope)).findFirst()
                .orElseThrow(() -> new AssertionError("not offered: " + scopes.mostUsed()));
        assertTrue(found.subscribers() >= 150 && found.subscribers() <= 600, "about 300: " + found);
    }
}
