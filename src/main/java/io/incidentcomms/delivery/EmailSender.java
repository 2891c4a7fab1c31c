package io.incidentcomms.delivery;

import java.util.Optional;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.incidentcomms.platform.Failures;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends one email through {@link SmtpClient}: multipart HTML and text, a Message-ID per
 * notification attempt, and RFC 8058 one-click unsubscribe headers. What a refusal means is
 * {@link ProviderCodes}' call (4xx and a refused connection are worth another attempt); a send
 * cut off by a timeout, or a connection lost in the middle, is uncertain (the server may have the
 * message), and the configured policy decides.
 */
@ApplicationScoped
public class EmailSender {

    private static final Logger LOG = Logger.getLogger(EmailSender.class);
    /** How the mail client reports a refused login, which is no SMTP reply it passes on as such. */
    private static final Pattern LOGIN_FAILED = Pattern.compile("\\b(535|530)\\b|AUTH \\S+ failed|authentication failed",
            Pattern.CASE_INSENSITIVE);

    /** {@code messageId} without angle brackets, unique per notification attempt. */
    public record Email(long notificationId, String to, String subject, String html, String text, String messageId,
            String unsubscribeUrl) {
    }

    /** The header that names the notification, for mail relays that report bounces by header. */
    public static final String NOTIFICATION_HEADER = "X-Comms-Notification";

    private final SmtpClient smtp;
    private final DeliveryConfig config;
    private final CaptureSink capture;

    EmailSender(SmtpClient smtp, DeliveryConfig config, CaptureSink capture) {
        this.smtp = smtp;
        this.config = config;
        this.capture = capture;
    }

    public SendOutcome send(Email email) {
        if (config.capture()) {
            return capture.capture("email", email.to(), email.subject(), email.text(), email.html());
        }
        MailMessage mail = new MailMessage().setTo(email.to()).setSubject(headerValue(email.subject()))
                .setHtml(email.html()).setText(email.text())
                .addHeader("Message-ID", "<" + email.messageId() + ">")
                .addHeader("List-Unsubscribe", "<" + email.unsubscribeUrl() + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader(NOTIFICATION_HEADER, String.valueOf(email.notificationId()));
        config.email().bounceAddress().ifPresent(address -> mail.setBounceAddress(verp(address, email.notificationId())));
        return send(mail, email.to(), email.messageId());
    }

    /** A plain-text email that is no incident message: a nudge to staff, a sign-up confirmation. */
    public SendOutcome sendPlain(String to, String subject, String text) {
        if (config.capture()) {
            return capture.capture("email", to, subject, text, null);
        }
        return send(new MailMessage().setTo(to).setSubject(headerValue(subject)).setText(text), to, null);
    }

    private SendOutcome send(MailMessage mail, String to, String messageId) {
        mail.setFrom(config.email().from().or(smtp::defaultFrom)
                .orElseThrow(() -> new IllegalStateException("Set the From address: QUARKUS_MAILER_FROM")));
        config.email().replyTo().ifPresent(replyTo -> mail.addHeader("Reply-To", replyTo));
        try {
            smtp.send(mail);
            return SendOutcome.sent(messageId);
        } catch (RuntimeException e) {
            Optional<SMTPException> refusal = cause(e, SMTPException.class);
            String reason = refusal.map(s -> s.getReplyMessage().startsWith(String.valueOf(s.getReplyCode()))
                    ? "SMTP " + s.getReplyMessage() : "SMTP " + s.getReplyCode() + " " + s.getReplyMessage())
                    .orElse(e instanceof SmtpClient.DeadlineExceeded ? e.getMessage() : Failures.innermost(e));
            LOG.warnf("Email to %s failed: %s", Masking.email(to), Masking.inText(reason));
            if (refusal.isPresent()) {
                SMTPException reply = refusal.get();
                return SendOutcome.refusal(ProviderCodes.smtp(reply.getReplyCode(), reply.getReplyMessage()),
                        reply.getReplyCode(), reason);
            }
            if (loginRefused(e)) {
                return SendOutcome.refusal(ProviderCodes.Fault.ACCOUNT, null, reason);
            }
            // refused before a word was said: nothing went out; otherwise the server may have the message
            return refused(e) ? SendOutcome.transientFailure(reason)
                    : new SendOutcome(SendOutcome.Kind.UNCERTAIN, null, null, reason);
        }
    }

    /** The login itself failed, which the mail client reports in words rather than as a reply. */
    static boolean loginRefused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && LOGIN_FAILED.matcher(cause.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value fit for a mail header: line breaks and other control characters (which would start
     * a header of their own) become spaces. Ops text reaches subjects; it must never add headers.
     */
    public static String headerValue(String text) {
        return text == null ? null : text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }

    /** VERP: {@code bounces@example.com} becomes {@code bounces+n42@example.com} for notification 42. */
    static String verp(String bounceAddress, long notificationId) {
        int at = bounceAddress.lastIndexOf('@');
        return at < 0 ? bounceAddress : bounceAddress.substring(0, at) + "+n" + notificationId + bounceAddress.substring(at);
    }

    /** The Message-ID of one attempt at a notification: {@code n<notification>.<attempt>@host}. */
    static String messageId(long notificationId, java.util.UUID attemptId, String host) {
        return "n" + notificationId + "." + attemptId + "@" + (host == null ? "localhost" : host);
    }

    private static final Pattern OUR_MESSAGE_ID = Pattern.compile("<?n(\\d+)\\.[^@>]*@[^>]*>?");
    private static final Pattern OUR_RETURN_PATH = Pattern.compile("[^@]*\\+n(\\d+)@.*");

    /** The notification a Message-ID this service gave names (with or without angle brackets). */
    public static Optional<Long> notificationOfMessageId(String messageId) {
        return notificationIn(OUR_MESSAGE_ID, messageId);
    }

    /** The notification a VERP return path this service gave names. */
    public static Optional<Long> notificationOfReturnPath(String returnPath) {
        return notificationIn(OUR_RETURN_PATH, returnPath);
    }

    private static Optional<Long> notificationIn(Pattern pattern, String value) {
        java.util.regex.Matcher matcher = pattern.matcher(value.strip());
        return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }

    private static boolean refused(Throwable e) {
        return e instanceof SmtpClient.NoLaneFree || cause(e, java.net.ConnectException.class).isPresent()
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
