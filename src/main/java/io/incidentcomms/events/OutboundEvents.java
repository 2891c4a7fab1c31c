package io.incidentcomms.events;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Writes events for the {@code incident-events} channel into the outbox, inside the caller's
 * transaction: the event exists exactly when the change it describes was committed.
 * {@link EventRelay} carries them to RabbitMQ afterwards.
 */
@ApplicationScoped
public class OutboundEvents {

    private final Clock clock;
    private final ObjectMapper mapper;
    private final Event<EventRecorded> recorded;

    OutboundEvents(Clock clock, ObjectMapper mapper, Event<EventRecorded> recorded) {
        this.clock = clock;
        this.mapper = mapper;
        this.recorded = recorded;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(String type, String incidentKey, Map<String, ?> data) {
        Instant now = clock.instant();
        UUID eventId = UUID.randomUUID();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", eventId.toString());
        envelope.put("type", type);
        envelope.put("occurredAt", now.toString());
        envelope.put("incidentKey", incidentKey);
        envelope.put("data", data);
        OutboxEvent event = new OutboxEvent();
        event.eventId = eventId;
        event.eventType = type;
        event.incidentKey = incidentKey;
        event.createdAt = now;
        try {
            event.payload = mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event " + type + " cannot be written as JSON", e);
        }
        event.persist();
        recorded.fire(new EventRecorded(eventId, type, incidentKey, data));
        return eventId;
    }
}
