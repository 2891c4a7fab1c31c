package io.incidentcomms.incident.ingest;

import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bus entry ({@code disruption-events}, generic event JSON). A message that cannot be parsed,
 * validated or applied fails, and the channel's failure strategy rejects it into the dead-letter
 * queue; the channel goes on with the next message.
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
    public void consume(byte[] payload) {
        try {
            IngestionService.Result result = webhooks.receiveTrusted(SOURCE, webhooks.parseGeneric(payload));
            LOG.debugf("disruption event applied: %s %s", result.outcome(), result.incidentKey());
        } catch (RuntimeException e) {
            LOG.warnf("Rejecting disruption event into the dead-letter queue: %s", e.getMessage());
            throw e;
        }
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
