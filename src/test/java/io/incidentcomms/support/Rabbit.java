package io.incidentcomms.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/** The tests' real RabbitMQ ({@link TestServices}), driven by the plain Java client. */
public final class Rabbit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rabbit() {
    }

    public static Connection connect() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.rabbitHost());
        factory.setPort(TestServices.rabbitPort());
        factory.setUsername("guest");
        factory.setPassword("guest");
        try {
            return factory.newConnection("incident-comms-tests");
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ is not reachable on " + TestServices.rabbitHost() + ":"
                    + TestServices.rabbitPort(), e);
        }
    }

    public static void publish(String exchange, String routingKey, String contentType, String body) {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey,
                    new AMQP.BasicProperties.Builder().contentType(contentType).deliveryMode(2).build(),
                    body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A durable queue bound to the exchange, so it survives a broker restart during a test. */
    public static void declareQueue(String queue, String exchange, String routingKey) {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(exchange, "topic", true);
            channel.queueDeclare(queue, true, false, false, null);
            channel.queueBind(queue, exchange, routingKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteQueue(String queue) {
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every message now in the queue, waiting up to {@code quiet} for more to arrive. */
    public static List<String> drain(String queue, Duration quiet) {
        List<String> bodies = new ArrayList<>();
        try (Connection connection = connect(); Channel channel = connection.createChannel()) {
            Instant until = Instant.now().plus(quiet);
            while (Instant.now().isBefore(until)) {
                GetResponse response = channel.basicGet(queue, true);
                if (response == null) {
                    Thread.sleep(50);
                    continue;
                }
                bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
                until = Instant.now().plus(quiet);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return bodies;
    }

    /**
     * Waits (up to a minute) for {@code expected} events on the queue that match, then takes what
     * arrives right behind them too, so a duplicate would show.
     */
    public static List<JsonNode> awaitEvents(String queue, Predicate<JsonNode> matching, int expected) {
        List<JsonNode> events = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            collect(drain(queue, Duration.ofMillis(100)), matching, events);
            return events.size() >= expected;
        });
        collect(drain(queue, Duration.ofSeconds(2)), matching, events);
        return events;
    }

    private static void collect(List<String> bodies, Predicate<JsonNode> matching, List<JsonNode> into) {
        for (String body : bodies) {
            try {
                JsonNode event = JSON.readTree(body);
                if (matching.test(event)) {
                    into.add(event);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Not JSON on the bus: " + body, e);
            }
        }
    }

    /** Stops or starts the RabbitMQ application on this machine's node (the Erlang node keeps running). */
    public static void rabbitmqctl(String command) {
        try {
            Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
