package io.incidentcomms.delivery;

/** What a provider said about one attempt to send one message. */
public record SendOutcome(Kind kind, String providerId, Integer providerCode, String error) {

    /** Providers echo the recipient's address in their errors: what is kept and logged is masked. */
    public SendOutcome {
        error = io.incidentcomms.audience.Masking.inText(error);
    }

    public enum Kind {
        /** Accepted by the provider. */
        SENT,
        /** Worth another attempt later (4xx SMTP, 429, queue full, connection refused). */
        TRANSIENT,
        /** Will never work for this address (unknown mailbox, invalid number, opted out). */
        PERMANENT,
        /** The request may have reached the provider (5xx, timeout): reconcile before retrying. */
        UNCERTAIN,
        /** The provider asks us to slow down (HTTP 429, Twilio 21611): the whole sender pauses. */
        THROTTLED,
        /**
         * The provider refused our account, not this recipient (Twilio 20003 authentication,
         * 21606 sender not capable; SMTP 535 authentication, 5.7.x policy): the channel is held.
         */
        ACCOUNT
    }

    public static SendOutcome sent(String providerId) {
        return new SendOutcome(Kind.SENT, providerId, null, null);
    }

    public static SendOutcome transientFailure(String error) {
        return new SendOutcome(Kind.TRANSIENT, null, null, error);
    }

    public static SendOutcome permanentFailure(String error) {
        return new SendOutcome(Kind.PERMANENT, null, null, error);
    }
}
