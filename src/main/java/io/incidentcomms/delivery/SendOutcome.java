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
        /** Will never work for this address (unknown mailbox, invalid number, opted out): the address is marked. */
        PERMANENT,
        /**
         * This message to this recipient was refused (their policy, a region our account may not
         * reach, a full mailbox): it fails and the other channel is tried; the address is not marked.
         */
        REFUSED,
        /** The request may have reached the provider (5xx, timeout): reconcile before retrying. */
        UNCERTAIN,
        /** The provider asks us to slow down (HTTP 429, Twilio 21611): the whole sender pauses. */
        THROTTLED,
        /** The provider refused our account, not this recipient ({@link ProviderCodes}): the channel is held. */
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

    /** The outcome a provider's refusal calls for, by whose fault it is. */
    public static SendOutcome refusal(ProviderCodes.Fault fault, Integer code, String error) {
        Kind kind = switch (fault) {
            case RECIPIENT -> Kind.PERMANENT;
            case MESSAGE -> Kind.REFUSED;
            case ACCOUNT -> Kind.ACCOUNT;
            case THROTTLE -> Kind.THROTTLED;
            case TEMPORARY -> Kind.TRANSIENT;
        };
        return new SendOutcome(kind, null, code, error);
    }
}
