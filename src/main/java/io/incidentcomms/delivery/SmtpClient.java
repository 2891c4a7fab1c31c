package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.quarkus.mailer.runtime.MailerRuntimeConfig;
import io.quarkus.mailer.runtime.MailersRuntimeConfig;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SMTP connections every email goes through, with a timeout on every step of a session and a
 * deadline on each whole send, through the library {@code comms.delivery.email.library} names
 * ({@link VertxMailTransport}, {@link AngusMailTransport}), both configured by
 * {@code quarkus.mailer.*}. With {@code quarkus.mailer.mock} (dev and test by default) nothing is sent.
 */
@ApplicationScoped
public class SmtpClient {

    private static final Logger LOG = Logger.getLogger(SmtpClient.class);
    private static final String DEFAULT_MAILER = "<default>";

    /** The server did not finish the send within the deadline: it may or may not have the message. */
    public static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded(Duration deadline) {
            super("the SMTP server did not answer within " + deadline.toSeconds() + " s");
        }
    }

    /** The session ended before the message was handed over (connecting, greeting, login): the server has nothing. */
    public static final class NotSent extends RuntimeException {
        NotSent(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private final Vertx vertx;
    private final DeliveryConfig.Email config;
    private final MailerRuntimeConfig mailer;
    private final boolean mock;
    private volatile MailTransport transport;

    SmtpClient(Vertx vertx, DeliveryConfig config) {
        this.vertx = vertx;
        this.config = config.email();
        this.mailer = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(MailersRuntimeConfig.class)
                .mailers().get(DEFAULT_MAILER);
        this.mock = mailer.mock().orElse(LaunchMode.current().isDevOrTest());
    }

    /** The From address of every email unless the message names one. */
    public Optional<String> defaultFrom() {
        return mailer.from();
    }

    /**
     * Sends one email and waits at most the send deadline. Throws {@link SmtpRefusal} when the
     * server refused it, {@link NotSent} when it ended before the message was handed over,
     * {@link DeadlineExceeded}, or what else the library failed with.
     */
    public void send(OutgoingEmail email) {
        if (mock) {
            LOG.infof("Mock SMTP (quarkus.mailer.mock): an email to %s is not sent", Masking.email(email.to()));
            return;
        }
        transport().send(email);
    }

    /**
     * How long one whole send may take: twice the SMTP timeout, which each single step (connect,
     * greeting, command, data) must keep to. A server that answers every step, but slowly, is cut off here.
     */
    public Duration sendDeadline() {
        return config.smtpTimeout().multipliedBy(2);
    }

    private MailTransport transport() {
        MailTransport current = transport;
        if (current == null) {
            synchronized (this) {
                current = transport;
                if (current == null) {
                    current = switch (config.library()) {
                        case VERTX -> new VertxMailTransport(vertx, mailer, config.smtpTimeout(), sendDeadline());
                        case ANGUS -> new AngusMailTransport(vertx, mailer, config.smtpTimeout(), sendDeadline());
                    };
                    transport = current;
                }
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        MailTransport current = transport;
        if (current != null) {
            current.close();
        }
    }
}
