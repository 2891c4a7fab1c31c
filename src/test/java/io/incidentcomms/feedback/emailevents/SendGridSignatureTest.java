package io.incidentcomms.feedback.emailevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.support.Fixtures;

/** Our check of SendGrid's signature accepts SendGrid's own library's test vector, and nothing else. */
class SendGridSignatureTest {

    @Test
    void theOfficialTestVectorVerifiesAndAnAlteredBodyDoesNot() throws Exception {
        Map<?, ?> vector = new ObjectMapper().readValue(Fixtures.read("sendgrid/signature-test-vector.json"), Map.class);
        String timestamp = (String) vector.get("headerX-Twilio-Email-Event-Webhook-Timestamp");
        String signature = (String) vector.get("headerX-Twilio-Email-Event-Webhook-Signature");
        byte[] body = ((String) vector.get("rawBody")).getBytes(StandardCharsets.UTF_8);
        SendGridEvents events = new SendGridEvents(config((String) vector.get("publicKeyBase64Der")),
                Clock.fixed(Instant.ofEpochSecond(Long.parseLong(timestamp)), ZoneOffset.UTC));
        Map<String, String> headers = Map.of(SendGridEvents.TIMESTAMP_HEADER, timestamp, SendGridEvents.SIGNATURE_HEADER,
                signature);

        events.admit(headers::get);
        events.verify(body, headers::get);

        byte[] altered = new String(body, StandardCharsets.UTF_8).replace("delivered", "bounce").getBytes(StandardCharsets.UTF_8);
        ProblemException refused = assertThrows(ProblemException.class, () -> events.verify(altered, headers::get));
        assertEquals(401, refused.toProblem("/api/email-events/sendgrid").status());
        Map<String, String> otherTime = Map.of(SendGridEvents.TIMESTAMP_HEADER, String.valueOf(Long.parseLong(timestamp) + 1),
                SendGridEvents.SIGNATURE_HEADER, signature);
        assertThrows(ProblemException.class, () -> events.verify(body, otherTime::get), "the timestamp is signed too");
    }

    static EmailEventsConfig config(String publicKey) {
        return new EmailEventsConfig() {
            @Override
            public int softBounceLimit() {
                return 5;
            }

            @Override
            public Ses ses() {
                return new Ses() {
                    @Override
                    public Optional<List<String>> topicArns() {
                        return Optional.empty();
                    }

                    @Override
                    public String snsUrlPattern() {
                        return "^$";
                    }
                };
            }

            @Override
            public SendGrid sendgrid() {
                return new SendGrid() {
                    @Override
                    public Optional<String> publicKey() {
                        return Optional.of(publicKey);
                    }

                    @Override
                    public Duration timestampTolerance() {
                        return Duration.ofMinutes(10);
                    }
                };
            }

            @Override
            public Postmark postmark() {
                return new Postmark() {
                    @Override
                    public Optional<String> username() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<String> password() {
                        return Optional.empty();
                    }
                };
            }
        };
    }
}
