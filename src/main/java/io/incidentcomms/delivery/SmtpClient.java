package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.quarkus.mailer.runtime.DkimSignOptionsConfig;
import io.quarkus.mailer.runtime.MailerRuntimeConfig;
import io.quarkus.mailer.runtime.MailersRuntimeConfig;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.SmallRyeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.vertx.ext.mail.DKIMSignOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SMTP connection pool every email goes through, with timeouts on every session. Quarkus
 * Mailer's own client sets none: a server that accepts a connection and never greets, or stalls
 * after the data, holds a pooled connection for good, and once the pool is full of them the
 * channel stops (quarkusio/quarkus#46216; its {@code quarkus.mailer.timeout} only stops waiting,
 * the connection stays). So this is the same Vert.x mail client, configured from the same
 * {@code quarkus.mailer.*} settings (host, port, TLS, login, pool, keep-alive, DKIM), plus a
 * connect timeout, an idle timeout on every read and write (greeting, each command, the data),
 * after which the connection is closed and leaves the pool, and a deadline on each whole send.
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

    private final Vertx vertx;
    private final DeliveryConfig.Email config;
    private final MailerRuntimeConfig mailer;
    private final boolean mock;
    private volatile MailClient client;

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
     * Sends one message and waits at most the send deadline. Throws what the client failed with
     * (an {@code SMTPException} carries the server's reply), or {@link DeadlineExceeded}.
     */
    public void send(MailMessage message) {
        if (mock) {
            LOG.infof("Mock SMTP (quarkus.mailer.mock): an email to %s is not sent",
                    Masking.email(String.join(",", message.getTo())));
            return;
        }
        try {
            client().sendMail(message).toCompletionStage().toCompletableFuture()
                    .get(sendDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DeadlineExceeded(sendDeadline());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    /**
     * How long one whole send may take: twice the SMTP timeout, which each single step (connect,
     * greeting, command, data) must keep to. A server that answers every step, but slowly, is cut off here.
     */
    public Duration sendDeadline() {
        return config.smtpTimeout().multipliedBy(2);
    }

    private MailClient client() {
        MailClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    current = MailClient.create(vertx, mailConfig());
                    client = current;
                }
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        MailClient current = client;
        if (current != null) {
            current.close();
        }
    }

    MailConfig mailConfig() {
        int timeout = (int) config.smtpTimeout().toMillis();
        MailConfig mail = new MailConfig()
                .setHostname(mailer.host())
                .setKeepAlive(mailer.keepAlive())
                .setMaxPoolSize(mailer.maxPoolSize())
                .setDisableEsmtp(mailer.disableEsmtp())
                .setLogin(LoginOption.valueOf(mailer.login().toUpperCase(Locale.ROOT)))
                .setStarttls(StartTLSOptions.valueOf(mailer.startTLS().toUpperCase(Locale.ROOT)))
                .setMultiPartOnly(mailer.multiPartOnly())
                .setAllowRcptErrors(mailer.allowRcptErrors())
                .setPipelining(mailer.pipelining())
                .setPoolCleanerPeriod((int) mailer.poolCleanerPeriod().toMillis())
                .setPoolCleanerPeriodUnit(TimeUnit.MILLISECONDS)
                .setKeepAliveTimeout((int) mailer.keepAliveTimeout().toMillis())
                .setKeepAliveTimeoutUnit(TimeUnit.MILLISECONDS);
        mail.setConnectTimeout(timeout);
        mail.setIdleTimeout(timeout);
        mail.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        mail.setSslHandshakeTimeout(timeout);
        mail.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        mailer.port().ifPresent(mail::setPort);
        mailer.ownHostName().ifPresent(mail::setOwnHostname);
        mailer.username().ifPresent(mail::setUsername);
        mailer.password().ifPresent(mail::setPassword);
        mailer.authMethods().ifPresent(mail::setAuthMethods);
        mailer.maxMailsPerConnection().ifPresent(mail::setMaxMailsPerConnection);
        tls(mail);
        dkim(mail);
        return mail;
    }

    private void tls(MailConfig mail) {
        if (mailer.tlsConfigurationName().isPresent()) {
            throw new IllegalStateException("quarkus.mailer.tls-configuration-name is not supported; "
                    + "use quarkus.mailer.truststore.paths (or the JVM's trust store) for the SMTP server's certificate");
        }
        mail.setSsl(mailer.tls().orElse(mailer.ssl()));
        mail.setTrustAll(mailer.trustAll().orElse(false));
        if (mailer.truststore().isConfigured()) {
            List<String> paths = mailer.truststore().paths().orElse(List.of());
            String type = mailer.truststore().type().orElse(paths.isEmpty() ? "PEM" : typeOf(paths.get(0)));
            String password = mailer.truststore().password().orElse(null);
            switch (type.toUpperCase(Locale.ROOT)) {
                case "JKS" -> mail.setTrustOptions(new JksOptions().setPath(paths.get(0)).setPassword(password));
                case "PKCS12", "P12", "PFX" -> mail.setTrustOptions(new PfxOptions().setPath(paths.get(0)).setPassword(password));
                default -> {
                    PemTrustOptions pem = new PemTrustOptions();
                    paths.forEach(pem::addCertPath);
                    mail.setTrustOptions(pem);
                }
            }
        }
    }

    private static String typeOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jks") ? "JKS" : lower.endsWith(".p12") || lower.endsWith(".pfx") ? "PKCS12" : "PEM";
    }

    private void dkim(MailConfig mail) {
        DkimSignOptionsConfig dkim = mailer.dkim();
        if (!dkim.enabled()) {
            return;
        }
        DKIMSignOptions options = new DKIMSignOptions()
                .setSdid(dkim.sdid().orElseThrow(() -> new IllegalStateException("DKIM needs quarkus.mailer.dkim.sdid")))
                .setSelector(dkim.selector().orElseThrow(() -> new IllegalStateException("DKIM needs quarkus.mailer.dkim.selector")));
        dkim.privateKey().ifPresent(options::setPrivateKey);
        dkim.privateKeyPath().ifPresent(options::setPrivateKeyPath);
        dkim.auid().ifPresent(options::setAuid);
        dkim.headerCanonAlgo().ifPresent(a -> options.setHeaderCanonAlgo(CanonicalizationAlgorithm.valueOf(a.name())));
        dkim.bodyCanonAlgo().ifPresent(a -> options.setBodyCanonAlgo(CanonicalizationAlgorithm.valueOf(a.name())));
        dkim.bodyLimit().ifPresent(options::setBodyLimit);
        dkim.signatureTimestamp().ifPresent(options::setSignatureTimestamp);
        dkim.expireTime().ifPresent(options::setExpireTime);
        dkim.signedHeaders().ifPresent(headers -> {
            if (headers.stream().noneMatch("From"::equalsIgnoreCase)) {
                throw new IllegalStateException("quarkus.mailer.dkim.signed-headers must include From");
            }
            options.setSignedHeaders(headers);
        });
        mail.setEnableDKIM(true).addDKIMSignOption(options);
    }
}
