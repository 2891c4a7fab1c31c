package io.incidentcomms.events;

import java.util.Map;
import java.util.UUID;

/**
 * An event was written to the outbox, fired inside the transaction that wrote it, so that whatever
 * else must follow from it (a chat message to ops) is written in that transaction too.
 */
public record EventRecorded(UUID eventId, String type, String incidentKey, Map<String, ?> data) {
}
