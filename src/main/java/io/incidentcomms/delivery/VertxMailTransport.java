package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.quarkus.mailer.runtime.DkimSignOptionsConfig;
import io.quarkus.mailer.runtime.MailerRuntimeConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.CanonicalizationAlgorithm;
import io.vertx.ext.mail.DKIMSignOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;

/**
 * Emails through the Vert.x mail client, the one behind Quarkus Mailer, configured from the same
 * {@code quarkus.mailer.*} settings (host, port, TLS, login, pool, keep-alive, DKIM), plus a
 * connect timeout and an idle timeout on every read and write, after which the connection is
 * closed and leaves the pool: Quarkus Mailer's own client sets none, so a server that accepts a
 * connection and never greets holds a pooled connection for good (quarkusio/quarkus#46216).
 */
final class VertxMailTransport implements MailTransport {

    private final MailClient client;
    private final Duration deadline;

    VertxMailTransport(Vertx vertx, MailerRuntimeConfig mailer, Duration stepTimeout, Duration deadline) {
        this.client = MailClient.create(vertx, mailConfig(mailer, stepTimeout));
        this.deadline = deadline;
    }

    @Override
    public void send(OutgoingEmail email) {
        MailMessage mail = new MailMessage().setFrom(email.from()).setTo(email.to()).setSubject(email.subject())
                .setText(email.text()).setHtml(email.html()).setBounceAddress(email.bounceAddress());
        email.headers().forEach(mail::addHeader);
        try {
            client.sendMail(mail).toCompletionStage().toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SmtpClient.DeadlineExceeded(deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SMTPException refusal) {
                throw new SmtpRefusal(refusal.getReplyCode(), refusal.getReplyMessage(), refusal);
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    static MailConfig mailConfig(MailerRuntimeConfig mailer, Duration stepTimeout) {
        int timeout = (int) stepTimeout.toMillis();
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
        mail.setSsl(mailer.tls().orElse(mailer.ssl()));
        mail.setTrustAll(mailer.trustAll().orElse(false));
        SmtpTrustStore.of(mailer).ifPresent(mail::setTrustOptions);
        dkim(mailer, mail);
        return mail;
    }

    private static void dkim(MailerRuntimeConfig mailer, MailConfig mail) {
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
