package io.incidentcomms.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes to the {@code incident-events} exchange with publisher confirms, synchronously: a
 * batch is either confirmed by the broker or reported failed, and nothing is left queued inside a
 * client across a reconnect (where it could be sent later, or never, without anyone knowing).
 * Uses the broker settings of the RabbitMQ connector ({@code rabbitmq-host} etc.).
 */
@ApplicationScoped
public class BrokerPublisher {

    record OutgoingEvent(String eventId, String type, String payload) {
    }

    private final ConnectionFactory factory = new ConnectionFactory();
    private final String exchange;
    private Connection connection;
    private Channel channel;

    BrokerPublisher(@ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            EventsConfig config) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(15);
        // a broken connection is replaced on the next batch, by us, not recovered behind our back
        factory.setAutomaticRecoveryEnabled(false);
        this.exchange = config.relay().exchange();
    }

    /** Publishes in order and waits for the broker to confirm every message. */
    synchronized void publish(List<OutgoingEvent> events, Duration confirmTimeout)
            throws IOException, TimeoutException, InterruptedException {
        try {
            Channel open = channel();
            for (OutgoingEvent event : events) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .messageId(event.eventId()).type(event.type()).contentType("application/json")
                        .deliveryMode(2).build();
                open.basicPublish(exchange, event.type(), properties, event.payload().getBytes(StandardCharsets.UTF_8));
            }
            open.waitForConfirmsOrDie(confirmTimeout.toMillis());
        } catch (IOException | TimeoutException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        close();
        connection = factory.newConnection("incident-comms-event-relay");
        channel = connection.createChannel();
        channel.exchangeDeclare(exchange, "topic", true);
        channel.confirmSelect();
        return channel;
    }

    @PreDestroy
    synchronized void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(2_000);
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection is gone either way
        }
        connection = null;
        channel = null;
    }
}
