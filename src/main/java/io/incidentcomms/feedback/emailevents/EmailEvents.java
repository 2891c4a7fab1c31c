package io.incidentcomms.feedback.emailevents;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Receives one provider's post: checks what can be checked before the body is read, reads it,
 * verifies it the way that provider signs (or authenticates), and applies the events it reports.
 */
@ApplicationScoped
public class EmailEvents {

    /** What a post came to: the events applied, or a subscription confirmed. */
    public record Received(List<Applied> results, Boolean subscriptionConfirmed) {
    }

    /** What became of one event: its kind and what it did ({@code bounced}, {@code counted}, {@code opted-out}). */
    public record Applied(String kind, String outcome) {
    }

    private final EmailEventsConfig config;
    private final SnsMessages sns;
    private final SendGridEvents sendGrid;
    private final PostmarkEvents postmark;
    private final EmailEventHandling handling;
    private final ObjectMapper mapper;

    EmailEvents(EmailEventsConfig config, SnsMessages sns, SendGridEvents sendGrid, PostmarkEvents postmark,
            EmailEventHandling handling, ObjectMapper mapper) {
        this.config = config;
        this.sns = sns;
        this.sendGrid = sendGrid;
        this.postmark = postmark;
        this.handling = handling;
        this.mapper = mapper;
    }

    /** Before the body is read: the provider is configured here and the headers it authenticates with check out. */
    public void admit(String provider, UnaryOperator<String> headers) {
        switch (provider) {
            case "ses" -> {
                if (config.ses().topicArns().filter(t -> !t.isEmpty()).isEmpty()) {
                    throw notConfigured(provider);
                }
            }
            case "sendgrid" -> {
                if (!sendGrid.configured()) {
                    throw notConfigured(provider);
                }
                sendGrid.admit(headers);
            }
            case "postmark" -> {
                if (!postmark.configured()) {
                    throw notConfigured(provider);
                }
                postmark.admit(headers);
            }
            default -> throw notConfigured(provider);
        }
    }

    public Received receive(String provider, byte[] body, UnaryOperator<String> headers) {
        admit(provider, headers);
        return switch (provider) {
            case "ses" -> fromSns(body);
            case "sendgrid" -> {
                sendGrid.verify(body, headers);
                yield new Received(handling.apply("sendgrid", SendGridEvents.of(parse(body))), null);
            }
            case "postmark" -> new Received(handling.apply("postmark", PostmarkEvents.of(parse(body))), null);
            default -> throw notConfigured(provider);
        };
    }

    private Received fromSns(byte[] body) {
        JsonNode message = parse(body);
        String topic = SnsMessages.text(message, "TopicArn");
        if (topic == null || !config.ses().topicArns().orElseThrow().contains(topic)) {
            throw new ProblemException(403, "forbidden", "Forbidden", "Messages of this SNS topic are not taken here");
        }
        sns.verify(message);
        return switch (String.valueOf(SnsMessages.text(message, "Type"))) {
            case "SubscriptionConfirmation" -> {
                sns.confirmSubscription(message);
                yield new Received(List.of(), true);
            }
            case "Notification" -> new Received(handling.apply("ses",
                    SesEvents.of(parse(String.valueOf(SnsMessages.text(message, "Message")).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)), SnsMessages.text(message, "MessageId"))), null);
            default -> new Received(List.of(), null);
        };
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new ProblemException(400, "malformed-json", "Bad Request", "The body is not JSON");
            }
            return node;
        } catch (IOException e) {
            throw new ProblemException(400, "malformed-json", "Bad Request", "The body is not valid JSON");
        }
    }

    private static ProblemException notConfigured(String provider) {
        return ProblemException.notFound("Email event source " + provider);
    }
}
