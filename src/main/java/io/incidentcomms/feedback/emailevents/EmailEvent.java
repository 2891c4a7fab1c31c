package io.incidentcomms.feedback.emailevents;

/**
 * One thing an email provider reports about an address we wrote to: a hard bounce (the address will
 * never work), a soft bounce (it did not work this time), a complaint (the recipient marked our
 * message as spam), or a delivery. {@code ourMessageId} is our Message-ID header when the provider gives it back,
 * which names the notification; otherwise the address alone is known. {@code key} is the event's
 * identity at the provider, by which a redelivery is recognised.
 */
record EmailEvent(Kind kind, String address, String ourMessageId, String detail, String key) {

    enum Kind {
        HARD_BOUNCE, SOFT_BOUNCE, COMPLAINT,
        /** The address took a message: a run of soft bounces ends. */
        DELIVERED
    }
}
