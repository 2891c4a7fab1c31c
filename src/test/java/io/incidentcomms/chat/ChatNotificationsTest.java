package io.incidentcomms.chat;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.cadence.CadenceWorker;
import io.incidentcomms.support.ChatWebhookStub;
import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Fixtures;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Ops hear in Slack and Teams when a promise to customers is about to lapse, with the link to the
 * incident; the messages go through an outbox, so a chat service that is down gets them when it is
 * back, once. Teams here takes critical and major incidents only, Slack every one.
 */
@QuarkusTest
class ChatNotificationsTest extends DeliveringTest {

    static ChatWebhookStub chat;

    @Inject
    CadenceWorker cadence;
    @Inject
    ChatRelay relay;

    final MutableClock clock = TestClockProducer.testClock();
    final String run = UUID.randomUUID().toString().substring(0, 8);
    Instant t0;

    @BeforeAll
    static void startChat() throws Exception {
        chat = new ChatWebhookStub(18111);
    }

    @AfterAll
    static void stopChat() {
        chat.close();
    }

    /** Earlier tests' promises are not kept here; the clock stops on a minute. */
    @BeforeEach
    void freezeTheClock() {
        quietEarlierWork();
        t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        clock.freezeAt(t0);
        chat.down(false);
    }

    @AfterEach
    void resetTheClock() {
        clock.reset();
        chat.down(false);
    }

    String declare(String severity) {
        String key = asAdmin().body("""
                {"title": "Chat %s", "kind": "outage", "severity": "%s", "scopes": ["component:chat-%s"],
                 "explain": {"en": "Card payments fail."}, "nextUpdateBy": "%s",
                 "owner": {"name": "Olga", "email": "owner.%s@example.com"}}"""
                .formatted(run, severity, run, t0.plus(Duration.ofMinutes(30)), run))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        planAndDispatch();
        return key;
    }

    /** Ten minutes before the promise the owner is nudged, and the nudge is an event for chat. */
    void promiseAboutToLapse() {
        clock.freezeAt(t0.plus(Duration.ofMinutes(20)));
        assertTrue(cadence.fireDue() >= 1, "the nudge fires");
    }

    @Test
    void aPromiseAboutToLapseReachesSlackAndTeamsWithTheIncidentsLink() throws Exception {
        String key = declare("critical");
        promiseAboutToLapse();
        relay.relayDue();

        String link = "https://ops.example.com/console/incidents/" + key;
        List<ChatWebhookStub.Posted> slack = chat.to("/services/", key);
        assertEquals(1, slack.size(), "one Slack message");
        JsonNode blocks = new ObjectMapper().readTree(slack.get(0).body());
        assertEquals("header", blocks.at("/blocks/0/type").asText());
        assertTrue(blocks.at("/blocks/0/text/text").asText().startsWith("Update due by "), blocks.toString());
        assertTrue(blocks.at("/blocks/1/text/text").asText().contains("Chat " + run));
        assertEquals(link, blocks.at("/blocks/2/elements/0/url").asText());

        List<ChatWebhookStub.Posted> teams = chat.to("/workflows/", key);
        assertEquals(1, teams.size(), "one Teams message");
        JsonNode card = new ObjectMapper().readTree(teams.get(0).body());
        assertEquals("application/vnd.microsoft.card.adaptive", card.at("/attachments/0/contentType").asText());
        assertEquals("AdaptiveCard", card.at("/attachments/0/content/type").asText());
        assertEquals(link, card.at("/attachments/0/content/actions/0/url").asText());

        JsonNode slackExample = new ObjectMapper().readTree(Fixtures.read("slack/incoming-webhook-message.json"));
        JsonNode teamsExample = new ObjectMapper().readTree(Fixtures.read("teams/workflows-adaptive-card.json"));
        assertEquals(fieldNames(slackExample), fieldNames(blocks), "the shape of Slack's own example");
        assertEquals(fieldNames(teamsExample), fieldNames(card), "the shape of Microsoft's own example");
        assertEquals(teamsExample.at("/attachments/0/contentType"), card.at("/attachments/0/contentType"));
        assertEquals(teamsExample.at("/attachments/0/content/$schema"), card.at("/attachments/0/content/$schema"));
    }

    static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void withTheChatServiceDownTheNudgeArrivesOnceItIsBack() {
        String key = declare("major");
        chat.down(true);
        promiseAboutToLapse();
        relay.relayDue();
        assertTrue(chat.refused() > 0, "the chat service was asked and refused");
        assertEquals(List.of(), chat.to("/services/", key), "nothing arrived while it was down");

        chat.down(false);
        relay.relayDue();
        assertEquals(List.of(), chat.to("/services/", key), "the retry waits its turn");
        clock.freezeAt(clock.instant().plus(Duration.ofMinutes(1)));
        relay.relayDue();
        relay.relayDue();
        assertEquals(1, chat.to("/services/", key).size(), "delivered once it is back, once");
        assertEquals(1, chat.to("/workflows/", key).size());
    }

    @Test
    void eachDestinationHearsOfTheSeveritiesItAskedFor() {
        String key = declare("minor");
        promiseAboutToLapse();
        relay.relayDue();
        assertEquals(1, chat.to("/services/", key).size(), "Slack takes every severity");
        assertEquals(List.of(), chat.to("/workflows/", key), "Teams only critical and major");
    }
}
