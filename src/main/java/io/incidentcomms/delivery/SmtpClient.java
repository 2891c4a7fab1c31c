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
import io.vertx.core.Promise;
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
import io.vertx.ext.mail.MailResult;
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
 * <p>
 * The pool is split into {@link SmtpLanes}: one connection each, used by one send at a time, every
 * step of it on the lane's own context (always one event loop). The Vert.x mail client (4.5) sets
 * a new connection's reader only once the connection has been handed to the send; a greeting read
 * before that is dropped, and the send then waits for it, swallowing the connection's errors
 * meanwhile, until the deadline. With one pool shared by many calling threads, a connection is
 * often opened or handed over on another thread than the send's, and the greeting wins the race:
 * measured, about one send in two thousand while a healthy server refused one message in five.
 * On its lane's own loop, with no other send on that pool, a send's connection is opened, handed
 * over and given its reader in one go.
 */
@ApplicationScoped
public class SmtpClient {

    private static final Logger LOG = Logger.getLogger(SmtpClient.class);
    private static final String DEFAULT_MAILER = "<default>";

    /** The send could not start (no connection free in time, or none could be set up): nothing was said to the server. */
    public static final class NoLaneFree extends RuntimeException {
        NoLaneFree(String reason) {
            super(reason);
        }
    }

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
    private final SmtpLanes lanes;

    SmtpClient(Vertx vertx, DeliveryConfig config) {
        this.vertx = vertx;
        this.config = config.email();
        this.mailer = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(MailersRuntimeConfig.class)
                .mailers().get(DEFAULT_MAILER);
        this.mock = mailer.mock().orElse(LaunchMode.current().isDevOrTest());
        this.lanes = new SmtpLanes(vertx, mailer.maxPoolSize(),
                () -> MailClient.create(vertx, mailConfig().setMaxPoolSize(1)));
    }

    /** The From address of every email unless the message names one. */
    public Optional<String> defaultFrom() {
        return mailer.from();
    }

    /**
     * Sends one message and waits at most the send deadline. Throws what the client failed with
     * (an {@code SMTPException} carries the server's reply), {@link DeadlineExceeded}, or
     * {@link NoLaneFree} when the send could not start.
     */
    public void send(MailMessage message) {
        if (mock) {
            LOG.infof("Mock SMTP (quarkus.mailer.mock): an email to %s is not sent",
                    Masking.email(String.join(",", message.getTo())));
            return;
        }
        long deadline = System.nanoTime() + sendDeadline().toNanos();
        // a send that gets its lane late still has at least one step's timeout left
        SmtpLanes.Lane lane = lanes.take(deadline - config.smtpTimeout().toNanos());
        Promise<MailResult> sent = Promise.promise();
        try {
            lane.loop().runOnContext(start -> {
                try {
                    lane.client().sendMail(message).onComplete(sent);
                } catch (RuntimeException e) {
                    sent.tryFail(e);
                }
            });
        } catch (RuntimeException e) {
            lanes.giveBack(lane);
            throw new NoLaneFree("the send could not start on its SMTP connection: " + e);
        }
        try {
            sent.future().toCompletionStage().toCompletableFuture()
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            lanes.giveBack(lane);
        } catch (ExecutionException e) {
            lanes.giveBack(lane);
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            lanes.discard(lane);
            throw new DeadlineExceeded(sendDeadline());
        } catch (InterruptedException e) {
            lanes.discard(lane);
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

    @PreDestroy
    void close() {
        lanes.close();
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
