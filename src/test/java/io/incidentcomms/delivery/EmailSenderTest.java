package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.incidentcomms.support.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Sends through a real SMTP server in this JVM (GreenMail on the test mailer port). */
@QuarkusTest
class EmailSenderTest {

    static final GreenMail smtp = Smtp.server();

    @Inject
    EmailSender sender;

    @BeforeEach
    void noMailYet() {
        Smtp.purge();
    }

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
}
