package io.incidentcomms.incident;

import java.time.Instant;

/**
 * Fired inside the transaction that publishes an update, so what observers write (the cadence's
 * deadlines) commits or rolls back with it. {@code customersTold} is false for an internal note; {@code nextUpdateBy} is the promise the update made
 * to customers, null when it made none (internal note, closed incident); {@code startsAt} is
 * when the incident started, or for planned work when it is to start; {@code deliveryEstimate} is
 * how long reaching the audience takes at the senders' rates.
 */
public record UpdatePublished(long incidentId, String incidentKey, long updateId, int seq, MessageKind kind,
        boolean customersTold, Severity severity, IncidentState state, Instant nextUpdateBy, String source, Instant at,
        Instant startsAt, java.time.Duration deliveryEstimate) {

    /** An update that the cadence itself published (holding, follow-up). */
    public boolean automatic() {
        return IncidentService.CADENCE_SOURCE.equals(source);
    }
}
