package io.incidentcomms.chat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.events.EventRecorded;
import io.incidentcomms.incident.Incident;
import io.incidentcomms.message.MessageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Writes the chat message for each destination that wants an event, in the transaction that
 * recorded the event: the message exists exactly when the event does, and {@link ChatRelay}
 * sends it afterwards however long the chat service is away.
 */
@ApplicationScoped
class ChatOutbox {

    private final ChatConfig config;
    private final MessageConfig messages;
    private final EntityManager em;
    private final ObjectMapper mapper;
    private final Clock clock;

    ChatOutbox(ChatConfig config, MessageConfig messages, EntityManager em, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.messages = messages;
        this.em = em;
        this.mapper = mapper;
        this.clock = clock;
    }

    void onEvent(@Observes EventRecorded event) {
        if (config.destinations().isEmpty() || !ChatMessages.EVENTS.contains(event.type())) {
            return;
        }
        Incident incident = event.incidentKey() == null ? null : Incident.findByKey(event.incidentKey()).orElse(null);
        ChatMessages.Text text = ChatMessages.of(event.type(), event.incidentKey(), incident == null ? null : incident.title,
                event.data(), config.consoleBaseUrl().orElse(messages.publicBaseUrl()));
        Instant now = clock.instant();
        for (Map.Entry<String, ChatConfig.Destination> entry : config.destinations().entrySet()) {
            ChatConfig.Destination destination = entry.getValue();
            if (!wants(destination, event.type(), incident)) {
                continue;
            }
            Object body = destination.kind() == ChatConfig.Kind.SLACK ? SlackBlocks.of(text) : TeamsCards.of(text);
            em.createNativeQuery("""
                    insert into chat_message (destination, event_id, event_type, incident_key, body, created_at, next_attempt_at)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?6) on conflict (destination, event_id) do nothing""")
                    .setParameter(1, entry.getKey()).setParameter(2, event.eventId()).setParameter(3, event.type())
                    .setParameter(4, event.incidentKey()).setParameter(5, json(body))
                    .setParameter(6, Timestamp.from(now)).executeUpdate();
        }
    }

    private static boolean wants(ChatConfig.Destination destination, String type, Incident incident) {
        if (destination.events().isPresent() && !destination.events().get().contains(type)) {
            return false;
        }
        return incident == null || destination.severities().isEmpty()
                || destination.severities().get().contains(incident.severity.name().toLowerCase(Locale.ROOT));
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A chat message cannot be written as JSON", e);
        }
    }
}
