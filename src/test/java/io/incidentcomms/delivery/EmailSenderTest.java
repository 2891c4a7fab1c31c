package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Sends through a real SMTP server in this JVM (GreenMail on the test mailer port). */
@QuarkusTest
class EmailSenderTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP);

    @Inject
    EmailSender sender;

    @Test
    void anEmailArrivesAsHtmlAndTextWithItsMessageIdAndOneClickUnsubscribe() throws Exception {
        SendOutcome outcome = sender.send(new EmailSender.Email(42, "ada@example.com", "Update: Checkout down",
                "<p>Card payments fail.</p>", "Card payments fail.", "n42.a1@status.example.com",
                "https://status.example.com/self-service/unsubscribe?token=abc"));

        assertEquals(SendOutcome.Kind.SENT, outcome.kind());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        MimeMessage mail = received[0];
        assertEquals("Update: Checkout down", mail.getSubject());
        assertEquals("<n42.a1@status.example.com>", mail.getMessageID());
        assertEquals("<https://status.example.com/self-service/unsubscribe?token=abc>", mail.getHeader("List-Unsubscribe")[0]);
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
        assertTrue(mail.getContent() instanceof MimeMultipart);
        String raw = GreenMailUtil.getWholeMessage(mail);
        assertTrue(raw.contains("text/html") && raw.contains("text/plain"), raw);
        assertTrue(raw.contains("<p>Card payments fail.</p>"), raw);
    }

    @Test
    void anUnreachableSmtpServerIsATransientFailure() {
        smtp.stop();
        SendOutcome outcome = sender.send(new EmailSender.Email(43, "bob@example.com", "S", "<p>h</p>", "t",
                "n43.a1@status.example.com", "https://status.example.com/u"));
        assertEquals(SendOutcome.Kind.TRANSIENT, outcome.kind(), String.valueOf(outcome.error()));
    }
}
