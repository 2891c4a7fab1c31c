package io.incidentcomms.delivery;

/**
 * An SMTP library behind {@link SmtpClient}: sends one email over its pooled connections and
 * returns once the server accepted it. A refusal is thrown as {@link SmtpRefusal}; a whole send
 * longer than the deadline as {@link SmtpClient.DeadlineExceeded}; anything else (a lost
 * connection, a timeout of one step) as it came.
 */
interface MailTransport extends AutoCloseable {

    void send(OutgoingEmail email);

    @Override
    void close();
}
