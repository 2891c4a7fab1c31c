package io.incidentcomms.statuspage.webhooks;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.incidentcomms.support.Api;
import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.MutableClock;
import io.incidentcomms.support.Smtp;
import io.incidentcomms.support.TestClockProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Subscribers' own endpoints hear of every update to the incidents they subscribed to, signed, in
 * Statuspage's webhook shape: an endpoint that fails is tried again until it takes the update, which
 * it then has exactly once; an endpoint inside our network is refused when it signs up and when a
 * request would go there; one that keeps failing is disabled and its contact told.
 */
@QuarkusTest
class WebhookSubscribersTest extends DeliveringTest {

    /** A subscriber's endpoint on loopback (let through for tests only): fails as often as told, then takes. */
    static final class Endpoint implements AutoCloseable {
        record Request(String id, String timestamp, String signature, String body, int answered) {
        }

        final HttpServer server;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        Endpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/", exchange -> {
                int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
                requests.add(new Request(exchange.getRequestHeaders().getFirst("X-Webhook-Id"),
                        exchange.getRequestHeaders().getFirst("X-Webhook-Timestamp"),
                        exchange.getRequestHeaders().getFirst("X-Webhook-Signature"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<Request> taken() {
            return requests.stream().filter(r -> r.answered() == 200).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Inject
    WebhookRelay relay;

    final MutableClock clock = TestClockProducer.testClock();
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:webhook-" + run;
    Endpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        endpoint = new Endpoint();
        clock.freezeAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        relay.relayDue();
    }

    @AfterEach
    void stop() {
        endpoint.close();
        clock.reset();
    }

    String subscribe(String url, String contact) {
        return asAdmin().body("""
                {"url": "%s", "scopes": ["%s"], "contactEmail": "%s"}""".formatted(url, scope, contact))
                .post("/api/webhook-subscriptions").then().statusCode(201).extract().path("signingSecret");
    }

    String declare() {
        return asAdmin().body(Api.declaration("Webhooks " + run, "major", scope)).post("/api/incidents").then()
                .statusCode(201).extract().path("key");
    }

    void later(Duration by) {
        clock.freezeAt(clock.instant().plus(by));
        relay.relayDue();
    }

    @Test
    void anEndpointThatFailsTwiceThenSucceedsHasTheUpdateExactlyOnceSigned() throws Exception {
        String secret = subscribe(endpoint.url("/hooks/" + run), "ops-" + run + "@example.com");
        endpoint.failuresLeft.set(2);
        String key = declare();

        relay.relayDue();
        assertEquals(1, endpoint.requests.size(), "tried at once");
        later(Duration.ofSeconds(10));
        assertEquals(1, endpoint.requests.size(), "the retry waits its turn");
        later(Duration.ofMinutes(2));
        later(Duration.ofMinutes(5));
        later(Duration.ofHours(2));
        assertEquals(3, endpoint.requests.size(), "two failures, then taken: " + endpoint.requests);
        assertEquals(1, endpoint.taken().size(), "taken exactly once");
        assertEquals(1, endpoint.requests.stream().map(Endpoint.Request::id).distinct().count(), "one delivery id throughout");
        assertEquals(1, endpoint.requests.stream().map(Endpoint.Request::body).distinct().count(), "the same update each time");

        Endpoint.Request taken = endpoint.taken().get(0);
        assertEquals("v1=" + WebhookRelay.sign(secret, taken.timestamp() + "." + taken.body()), taken.signature());
        JsonNode body = new ObjectMapper().readTree(taken.body());
        assertEquals(key, body.at("/incident/id").asText());
        assertEquals("investigating", body.at("/incident/status").asText());
        assertEquals("Checkout fails for card payments.", body.at("/incident/incident_updates/0/body").asText());
        assertTrue(body.at("/page/id").asText().length() == 12, body.at("/page").toString());
        assertTrue(body.at("/incident/metadata").isEmpty(), "nothing ops attached goes out");
    }

    @Test
    void anEndpointInsideOurNetworkIsRefusedAtSignUpAndAtSendTime() {
        asAdmin().body("""
                {"url": "http://169.254.169.254/latest/meta-data/", "scopes": ["%s"]}""".formatted(scope))
                .post("/api/webhook-subscriptions").then().statusCode(400)
                .body("errors[0].field", containsString("url")).body("errors[0].message", containsString("link-local"));

        // as if the name an endpoint signed up with now resolved to the metadata service
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into webhook_subscription (url, scopes, signing_secret, created_at)
                values ('http://169.254.169.254/hook', cast(?1 as text[]), 'whsec_test', now())""")
                .setParameter(1, new String[] { scope }).executeUpdate());
        declare();
        relay.relayDue();
        String error = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("""
                select d.last_error from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
                where s.url = 'http://169.254.169.254/hook' order by d.id desc limit 1""").getSingleResult());
        assertNotNull(error);
        assertTrue(error.contains("link-local"), error);
    }

    @Test
    void anEndpointThatFailsForADayIsDisabledAndItsContactTold() throws Exception {
        String contact = "owner-" + run + "@example.com";
        subscribe(endpoint.url("/down/" + run), contact);
        endpoint.failuresLeft.set(Integer.MAX_VALUE);
        declare();
        relay.relayDue();
        assertEquals(1, endpoint.requests.size());
        later(Duration.ofHours(23));
        List<?> stillOn = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from webhook_subscription where url like ?1 and disabled_at is null")
                .setParameter(1, "%/down/" + run).getResultList());
        assertEquals(1, stillOn.size(), "failing for less than a day, it is tried again later");
        later(Duration.ofHours(2));

        List<?> disabled = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select disabled_reason from webhook_subscription where url like ?1 and disabled_at is not null")
                .setParameter(1, "%/down/" + run).getResultList());
        assertEquals(1, disabled.size(), "disabled once an update could not be delivered for a day");
        assertEquals(1, Smtp.to(contact).size(), "its contact is told");
        assertTrue(Smtp.text(Smtp.to(contact).get(0)).contains("127.0.0.1"), "naming the endpoint's host");
        int before = endpoint.requests.size();
        later(Duration.ofHours(3));
        assertEquals(before, endpoint.requests.size(), "a disabled endpoint is not called");
    }
}
