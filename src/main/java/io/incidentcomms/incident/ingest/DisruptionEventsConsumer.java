package io.incidentcomms.incident.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bus entry ({@code disruption-events}, generic event JSON), with the same validation and
 * deduplication as the webhook. A message that cannot be parsed, validated or applied is nacked;
 * the channel's failure strategy rejects it into the dead-letter queue and the channel goes on.
 */
@ApplicationScoped
public class DisruptionEventsConsumer {

    static final String SOURCE = "bus";
    private static final Logger LOG = Logger.getLogger(DisruptionEventsConsumer.class);

    private final Webhooks webhooks;

    DisruptionEventsConsumer(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Incoming("disruption-events")
    @Blocking
    public CompletionStage<Void> consume(Message<?> message) {
        try {
            IngestionService.Result result = webhooks.receiveTrusted(SOURCE,
                    webhooks.parseGeneric(bytesOf(message.getPayload())));
            LOG.debugf("Disruption event applied: %s %s", result.outcome(), result.incidentKey());
            return message.ack();
        } catch (RuntimeException e) {
            LOG.warnf("Rejecting a disruption event into the dead-letter queue: %s", e.getMessage());
            return message.nack(e);
        }
    }

    /** The connector decodes by content type; the event is read from its original bytes either way. */
    private static byte[] bytesOf(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof JsonObject json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonArray json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(payload).getBytes(StandardCharsets.UTF_8);
    }
}
