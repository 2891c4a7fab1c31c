package io.incidentcomms.delivery;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkus.mailer.runtime.MailerRuntimeConfig;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

/** The certificates the SMTP server is trusted by, from {@code quarkus.mailer.truststore.*}: PEM, JKS or PKCS#12. */
final class SmtpTrustStore {

    private SmtpTrustStore() {
    }

    /** Empty: the JVM's own trust store (or trust-all, which the caller decides). */
    static Optional<TrustOptions> of(MailerRuntimeConfig mailer) {
        if (mailer.tlsConfigurationName().isPresent()) {
            throw new IllegalStateException("quarkus.mailer.tls-configuration-name is not supported; "
                    + "use quarkus.mailer.truststore.paths (or the JVM's trust store) for the SMTP server's certificate");
        }
        if (!mailer.truststore().isConfigured()) {
            return Optional.empty();
        }
        List<String> paths = mailer.truststore().paths().orElse(List.of());
        String type = mailer.truststore().type().orElse(paths.isEmpty() ? "PEM" : typeOf(paths.get(0)));
        String password = mailer.truststore().password().orElse(null);
        return Optional.of(switch (type.toUpperCase(Locale.ROOT)) {
            case "JKS" -> new JksOptions().setPath(paths.get(0)).setPassword(password);
            case "PKCS12", "P12", "PFX" -> new PfxOptions().setPath(paths.get(0)).setPassword(password);
            default -> {
                PemTrustOptions pem = new PemTrustOptions();
                paths.forEach(pem::addCertPath);
                yield pem;
            }
        });
    }

    private static String typeOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jks") ? "JKS" : lower.endsWith(".p12") || lower.endsWith(".pfx") ? "PKCS12" : "PEM";
    }
}
