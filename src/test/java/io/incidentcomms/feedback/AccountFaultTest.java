package io.incidentcomms.feedback;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.Dispatcher;
import io.incidentcomms.support.Api;
import io.incidentcomms.support.Dispatching;
import io.incidentcomms.support.Rabbit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The SMTP server refuses our login (535): the email channel is held and ops alerted, nobody is
 * marked bounced, and after the resume each held email goes out once.
 */
@QuarkusTest
@TestProfile(AccountFaultTest.MailerLogsIn.class)
class AccountFaultTest {

    /** The mailer logs in as "comms" with a password the SMTP server does not take (yet). */
    public static class MailerLogsIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.username", "comms", "quarkus.mailer.password", "rotated-secret",
                    "quarkus.mailer.port", String.valueOf(PORT));
        }
    }

    /** Its own SMTP server (the shared one belongs to the other tests' application). */
    static final int PORT = 3026;

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(PORT, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("comms@status.example.com", "comms", "old-secret"))
            .withPerMethodLifecycle(false);

    @Inject
    DeliveryPlanner planner;
    @Inject
    Dispatcher dispatcher;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:account-" + run;
    final String queue = "test-account-fault-" + run;

    @BeforeEach
    void listen() {
        Rabbit.declareQueue(queue, "incident-events", "channel.*");
    }

    @AfterEach
    void resumeAndStopListening() {
        asAdmin().post("/api/channels/email/resume").then().statusCode(200);
        Rabbit.deleteQueue(queue);
    }

    List<String> states() {
        @SuppressWarnings("unchecked")
        List<String> states = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select n.state from notification n join subscriber s on s.id = n.subscriber_id
                where s.external_ref like ?1 order by n.id""").setParameter(1, run + "-%").getResultList());
        return states;
    }

    @Test
    void anSmtpAuthenticationFailureHoldsTheEmailChannelMarksNobodyAndTheHeldEmailsGoOutOnceAfterTheResume() {
        for (String who : List.of("ann", "bob", "cat")) {
            asAdmin().body("""
                    {"externalRef": "%s-%s", "email": "%s.%s@example.com", "subscriptions": ["%s"]}"""
                    .formatted(run, who, who, run, scope)).post("/api/subscribers").then().statusCode(201);
        }
        asAdmin().body(Api.declaration("Account " + run, "minor", scope)).post("/api/incidents").then().statusCode(201);

        Dispatching.planAndDispatch(planner, dispatcher, em);

        assertEquals(List.of("PLANNED", "PLANNED", "PLANNED"), states(), "the emails wait");
        assertEquals(0, smtp.getReceivedMessages().length);
        asAdmin().get("/api/channels").then().statusCode(200)
                .body("find { it.channel == 'email' }.held", Matchers.is(true))
                .body("find { it.channel == 'email' }.heldReason", Matchers.containsString("535"))
                .body("find { it.channel == 'sms' }.held", Matchers.is(false));
        for (String who : List.of("ann", "bob", "cat")) {
            asAdmin().get("/api/subscribers/" + run + "-" + who).then()
                    .body("contactPoints.find { it.channel == 'email' }.bouncedAt", Matchers.nullValue())
                    .body("contactPoints.find { it.channel == 'email' }.optedOutAt", Matchers.nullValue());
        }
        String metrics = asAdmin().get("/q/metrics").then().extract().asString();
        assertEquals(true, metrics.lines().anyMatch(l -> l.startsWith("comms_channel_held{channel=\"email\"") && l.endsWith(" 1.0")),
                "comms_channel_held shows it");
        List<JsonNode> alerts = Rabbit.awaitEvents(queue, e -> "channel.held".equals(e.path("type").asText()), 1);
        assertEquals(1, alerts.size(), "one alert, not one per refused email");
        assertEquals("email", alerts.get(0).path("data").path("channel").asText());

        Dispatching.planAndDispatch(planner, dispatcher, em);
        assertEquals(0, smtp.getReceivedMessages().length, "nothing is tried while the channel is held");

        smtp.getUserManager().getUser("comms").setPassword("rotated-secret");
        asAdmin().post("/api/channels/email/resume").then().statusCode(200).body("held", Matchers.is(false));
        Dispatching.planAndDispatch(planner, dispatcher, em);

        assertEquals(List.of("SENT", "SENT", "SENT"), states());
        for (String who : List.of("ann", "bob", "cat")) {
            assertEquals(1, smtp.getReceivedMessagesForDomain(who + "." + run + "@example.com").length,
                    who + " gets the held email once");
        }
        Rabbit.awaitEvents(queue, e -> "channel.resumed".equals(e.path("type").asText()), 1);
    }
}
