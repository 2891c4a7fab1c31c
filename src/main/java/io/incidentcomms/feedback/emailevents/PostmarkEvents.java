package io.incidentcomms.feedback.emailevents;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Postmark's bounce, spam complaint and delivery webhooks. Postmark does not sign them; the
 * webhook's URL carries basic-authentication credentials, checked here in constant time.
 */
@ApplicationScoped
class PostmarkEvents {

    /** Postmark's bounce types that mean the address will never work. */
    private static final Set<String> HARD = Set.of("HardBounce", "BadEmailAddress");
    /** Those that mean it did not work this time. */
    private static final Set<String> SOFT = Set.of("SoftBounce", "Transient", "DnsError", "Blocked");

    private final EmailEventsConfig config;

    PostmarkEvents(EmailEventsConfig config) {
        this.config = config;
    }

    boolean configured() {
        return config.postmark().username().isPresent() && config.postmark().password().isPresent();
    }

    void admit(UnaryOperator<String> headers) {
        String authorization = headers.apply("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((config.postmark().username().orElseThrow() + ":"
                + config.postmark().password().orElseThrow()).getBytes(StandardCharsets.UTF_8));
        if (authorization == null || !java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.unauthorized("The basic authentication does not match");
        }
    }

    /** One webhook is one record: a Bounce, a SpamComplaint or a Delivery (its {@code RecordType}). */
    static List<EmailEvent> of(JsonNode record) {
        String type = SnsMessages.text(record, "RecordType");
        if (type == null) {
            throw new ProblemException(400, "malformed-event", "Bad Request", "A Postmark webhook names its RecordType");
        }
        String key = type + "|" + SnsMessages.text(record, "ID") + "|" + SnsMessages.text(record, "MessageID");
        return switch (type) {
            case "Bounce" -> {
                String address = SnsMessages.text(record, "Email");
                String kind = SnsMessages.text(record, "Type");
                if (address == null || kind == null) {
                    yield List.of();
                }
                String detail = kind + ": " + SnsMessages.text(record, "Description");
                if (HARD.contains(kind)) {
                    yield List.of(new EmailEvent(EmailEvent.Kind.HARD_BOUNCE, address, null, detail, key));
                }
                yield SOFT.contains(kind) ? List.of(new EmailEvent(EmailEvent.Kind.SOFT_BOUNCE, address, null, detail, key))
                        : List.<EmailEvent>of();
            }
            case "SpamComplaint" -> {
                String address = SnsMessages.text(record, "Email");
                yield address == null ? List.of() : List.of(new EmailEvent(EmailEvent.Kind.COMPLAINT, address, null, null, key));
            }
            case "Delivery" -> {
                String address = SnsMessages.text(record, "Recipient");
                yield address == null ? List.of() : List.of(new EmailEvent(EmailEvent.Kind.DELIVERED, address, null, null, key));
            }
            default -> List.of();
        };
    }
}
