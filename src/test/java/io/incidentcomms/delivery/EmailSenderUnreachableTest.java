package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A server that refuses the connection has nothing of ours: worth another attempt. (Its own
 * application, so the mail client has no pooled connection that could be reused instead.)
 */
@QuarkusTest
@TestProfile(EmailSenderUnreachableTest.NoSmtpServer.class)
class EmailSenderUnreachableTest {

    public static class NoSmtpServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", "3027");
        }
    }

    @Inject
    EmailSender sender;

    @Test
    void anUnreachableSmtpServerIsATransientFailure() {
        SendOutcome outcome = sender.send(new EmailSender.Email(43, "bob@example.com", "S", "<p>h</p>", "t",
                "n43.a1@status.example.com", "https://status.example.com/u"));
        assertEquals(SendOutcome.Kind.TRANSIENT, outcome.kind(), String.valueOf(outcome.error()));
    }
}
