package io.incidentcomms.delivery;

import java.util.Optional;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends one email through SMTP (Quarkus Mailer): multipart HTML and text, a Message-ID per
 * notification attempt, and RFC 8058 one-click unsubscribe headers. SMTP 5xx is permanent, 4xx
 * and a refused connection are worth another attempt; a connection lost or timed out in the
 * middle is uncertain (the server may have the message), and the configured policy decides.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);

    /** {@code messageId} without angle brackets, unique per notification attempt. */
    public record Email(String to, String subject, String html, String text, String messageId, String unsubscribeUrl) {
    }

    private final Mailer mailer;
    private final DeliveryConfig config;
    private final CaptureSink capture;

    EmailSender(Mailer mailer, DeliveryConfig config, CaptureSink capture) {
        this.mailer = mailer;
        this.config = config;
        this.capture = capture;
    }

    public SendOutcome send(Email email) {
        if (config.capture()) {
            return capture.capture("email", email.to(), email.subject(), email.text(), email.html());
        }
        Mail mail = Mail.withHtml(email.to(), email.subject(), email.html()).setText(email.text())
                .addHeader("Message-ID", "<" + email.messageId() + ">")
                .addHeader("List-Unsubscribe", "<" + email.unsubscribeUrl() + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        config.email().from().ifPresent(mail::setFrom);
        config.email().replyTo().ifPresent(mail::setReplyTo);
        try {
            mailer.send(mail);
            return SendOutcome.sent(email.messageId());
        } catch (RuntimeException e) {
            Optional<SMTPException> smtp = cause(e, SMTPException.class);
            String reason = smtp.map(s -> "SMTP " + s.getReplyCode() + " " + s.getReplyMessage()).orElse(e.toString());
            LOG.warnf("Email to %s failed: %s", Masking.email(email.to()), reason);
            if (smtp.isPresent()) {
                return smtp.get().isPermanent() ? SendOutcome.permanentFailure(reason) : SendOutcome.transientFailure(reason);
            }
            // refused before a word was said: nothing went out; otherwise the server may have the message
            return refused(e) ? SendOutcome.transientFailure(reason)
                    : new SendOutcome(SendOutcome.Kind.UNCERTAIN, null, null, reason);
        }
    }

    private static boolean refused(Throwable e) {
        return cause(e, java.net.ConnectException.class).isPresent()
                || cause(e, java.net.UnknownHostException.class).isPresent();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
