package io.incidentcomms.feedback.emailevents;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * SendGrid's signed Event Webhook: ECDSA (P-256, SHA-256, DER) over the timestamp header followed
 * by the raw body, under the verification key SendGrid shows (as its own library checks it); a
 * timestamp far from our clock is refused, so a captured request cannot be replayed later.
 */
@ApplicationScoped
class SendGridEvents {

    static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final EmailEventsConfig config;
    private final Clock clock;

    SendGridEvents(EmailEventsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    boolean configured() {
        return config.sendgrid().publicKey().filter(k -> !k.isBlank()).isPresent();
    }

    /** Before the body is read: both headers there, the timestamp fresh. */
    void admit(UnaryOperator<String> headers) {
        String timestamp = headers.apply(TIMESTAMP_HEADER);
        if (timestamp == null || headers.apply(SIGNATURE_HEADER) == null) {
            throw ProblemException.unauthorized("Missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        Instant signedAt;
        try {
            signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw ProblemException.unauthorized(TIMESTAMP_HEADER + " must be Unix seconds");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(config.sendgrid().timestampTolerance()))
                || signedAt.isAfter(now.plus(config.sendgrid().timestampTolerance()))) {
            throw ProblemException.unauthorized("The signature timestamp is outside the allowed tolerance");
        }
    }

    void verify(byte[] body, UnaryOperator<String> headers) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(config.sendgrid().publicKey().orElseThrow().trim())));
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(headers.apply(TIMESTAMP_HEADER).trim().getBytes(StandardCharsets.UTF_8));
            verifier.update(body);
            if (!verifier.verify(Base64.getDecoder().decode(headers.apply(SIGNATURE_HEADER).trim()))) {
                throw ProblemException.unauthorized("The signature does not match");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw ProblemException.unauthorized("The signature does not verify");
        }
    }

    /**
     * The events that concern us: a bounce of type "bounce" is hard, "blocked" soft; a spam report
     * is a complaint; a delivery ends a run of soft bounces. Deferrals (SendGrid still trying) and
     * drops (it never tried) change nothing. Our Message-ID is SendGrid's {@code smtp-id}.
     */
    static List<EmailEvent> of(JsonNode events) {
        List<EmailEvent> found = new ArrayList<>();
        if (!events.isArray()) {
            throw new ProblemException(400, "malformed-event", "Bad Request", "SendGrid posts an array of events");
        }
        for (JsonNode event : events) {
            String address = SnsMessages.text(event, "email");
            String name = SnsMessages.text(event, "event");
            if (address == null || name == null) {
                continue;
            }
            String ourMessageId = SnsMessages.text(event, "smtp-id");
            String detail = SnsMessages.text(event, "reason");
            String key = SnsMessages.text(event, "sg_event_id");
            if (key == null) {
                key = name + "|" + address + "|" + SnsMessages.text(event, "timestamp") + "|" + ourMessageId;
            }
            switch (name) {
                case "bounce" -> found.add(new EmailEvent("blocked".equals(SnsMessages.text(event, "type"))
                        ? EmailEvent.Kind.SOFT_BOUNCE : EmailEvent.Kind.HARD_BOUNCE, address, ourMessageId, detail, key));
                case "spamreport" -> found.add(new EmailEvent(EmailEvent.Kind.COMPLAINT, address, ourMessageId, null, key));
                case "delivered" -> found.add(new EmailEvent(EmailEvent.Kind.DELIVERED, address, ourMessageId, null, key));
                default -> {
                    // processed, deferred, dropped, opens and clicks: nothing to do
                }
            }
        }
        return found;
    }
}
