package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** Emails through Eclipse Angus Mail (comms.delivery.email.library=angus) to GreenMail arrive whole. */
@QuarkusTest
@TestProfile(AngusMailTest.ThroughAngusMail.class)
class AngusMailTest {

    public static class ThroughAngusMail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("comms.delivery.email.library", "angus",
                    "comms.delivery.email.bounce-address", "bounces@status.example.com",
                    "quarkus.mailer.port", String.valueOf(PORT));
        }
    }

    /** Its own GreenMail: the shared one (support.Smtp) belongs to the default profile's class loader. */
    static final int PORT = 3031;
    static GreenMail smtp;

    @Inject
    EmailSender sender;

    @BeforeAll
    static void startServer() {
        smtp = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stopServer() {
        smtp.stop();
    }

    @BeforeEach
    void noMailYet() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    @Test
    void anEmailArrivesAsHtmlAndTextInUtf8WithItsMessageIdUnsubscribeHeadersAndReturnPath() throws Exception {
        SendOutcome outcome = sender.send(new EmailSender.Email(42, "ada@example.com", "Störung: Zahlungen – verzögert",
                "<p>Kartenzahlungen schlagen fehl. Wir wissen, dass das ärgerlich ist.</p>",
                "Kartenzahlungen schlagen fehl. Wir wissen, dass das ärgerlich ist.", "n42.a1@status.example.com",
                "https://status.example.com/self-service/unsubscribe?token=abc"));

        assertEquals(SendOutcome.Kind.SENT, outcome.kind(), outcome.error());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        MimeMessage mail = received[0];
        assertEquals("Störung: Zahlungen – verzögert", mail.getSubject());
        assertEquals("<n42.a1@status.example.com>", mail.getMessageID());
        assertEquals("<https://status.example.com/self-service/unsubscribe?token=abc>", mail.getHeader("List-Unsubscribe")[0]);
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
        assertEquals("42", mail.getHeader(EmailSender.NOTIFICATION_HEADER)[0]);
        assertEquals("<bounces+n42@status.example.com>", mail.getHeader("Return-Path")[0]);
        MimeMultipart alternative = (MimeMultipart) mail.getContent();
        assertTrue(alternative.getContentType().startsWith("multipart/alternative"), alternative.getContentType());
        assertEquals("Kartenzahlungen schlagen fehl. Wir wissen, dass das ärgerlich ist.",
                ((String) alternative.getBodyPart(0).getContent()).strip());
        assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));
        assertTrue(((String) alternative.getBodyPart(1).getContent()).contains("das ärgerlich ist.</p>"),
                GreenMailUtil.getWholeMessage(mail));
    }
}
