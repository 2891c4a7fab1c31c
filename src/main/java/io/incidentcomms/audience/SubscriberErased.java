package io.incidentcomms.audience;

/**
 * Fired, inside the erasing transaction, when a subscriber's personal data is erased: features that
 * keep personal data of their own about the subscriber (message texts) drop it too.
 */
public record SubscriberErased(long subscriberId) {
}
