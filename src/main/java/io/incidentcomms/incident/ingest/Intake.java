package io.incidentcomms.incident.ingest;

import java.util.function.Supplier;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.PostUpdate;

/**
 * One event from any source, normalised. {@code eventKey} is the event's own identity (a
 * redelivery has the same key); {@code externalId} names the incident in the sender's system.
 * {@code declaration} is used when no open incident has that external id, {@code update} when one does.
 */
record Intake(String eventKey, String externalId, Intent intent, Supplier<DeclareIncident> declaration,
        PostUpdate update) {

    enum Intent {
        /** Declare, or update the open incident; reopens one resolved within the flap window. */
        OPEN,
        /** Resolve the open incident; nothing to do when none is open. */
        RESOLVE,
        /** A timeline entry for ops only; nothing to do when no incident exists. */
        NOTE
    }
}
