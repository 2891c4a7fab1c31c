package io.incidentcomms.feedback.emailevents;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Amazon SNS's HTTP(S) deliveries, verified as Amazon documents ("Verifying the signatures of Amazon
 * SNS messages"): the signing certificate is fetched only from an SNS host over HTTPS (and kept), the
 * string to sign is the message's fields in their fixed order as {@code name\nvalue\n}, and the
 * signature is SHA1withRSA (version 1) or SHA256withRSA (version 2) under that certificate.
 */
@ApplicationScoped
class SnsMessages {

    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp",
            "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION_FIELDS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp",
            "Token", "TopicArn", "Type");

    private static final Pattern CERTIFICATE_PATH = Pattern.compile("/SimpleNotificationService-[A-Za-z0-9]+[.]pem");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();
    private final Pattern allowedUrls;

    SnsMessages(EmailEventsConfig config) {
        this.allowedUrls = Pattern.compile(config.ses().snsUrlPattern());
    }

    /** Refuses (401) a message whose signature does not verify under a certificate from SNS. */
    void verify(JsonNode message) {
        String type = text(message, "Type");
        List<String> fields = "Notification".equals(type) ? NOTIFICATION_FIELDS : SUBSCRIPTION_FIELDS;
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            String value = text(message, field);
            if (value != null) {
                signed.append(field).append('\n').append(value).append('\n');
            } else if (!"Subject".equals(field)) {
                throw ProblemException.unauthorized("The SNS message lacks " + field);
            }
        }
        String algorithm = switch (String.valueOf(text(message, "SignatureVersion"))) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw ProblemException.unauthorized("Unknown SNS SignatureVersion");
        };
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate(text(message, "SigningCertURL")));
            verifier.update(signed.toString().getBytes(StandardCharsets.UTF_8));
            String signature = text(message, "Signature");
            if (signature == null || !verifier.verify(Base64.getDecoder().decode(signature))) {
                throw ProblemException.unauthorized("The SNS signature does not match");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw ProblemException.unauthorized("The SNS signature does not verify");
        }
    }

    /** Confirms a subscription by opening its SubscribeURL, which must be an SNS address too. */
    void confirmSubscription(JsonNode message) {
        URI subscribe = allowed(text(message, "SubscribeURL"));
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(subscribe).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                throw new ProblemException(502, "subscription-not-confirmed", "Bad Gateway",
                        "SNS answered " + answer.statusCode() + " to the subscription confirmation");
            }
        } catch (java.io.IOException e) {
            throw new ProblemException(502, "subscription-not-confirmed", "Bad Gateway", "SNS could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "interrupted", "Service Unavailable", "Interrupted");
        }
    }

    private X509Certificate certificate(String url) {
        URI location = allowed(url);
        // SNS's certificates are SimpleNotificationService-<hash>.pem, without a query: anything else
        // would let a caller who knows the topic make us fetch (and keep) one address after another
        if (location.getRawQuery() != null || location.getRawPath() == null
                || !CERTIFICATE_PATH.matcher(location.getRawPath()).matches()) {
            throw ProblemException.unauthorized("The SNS message names no SNS signing certificate");
        }
        X509Certificate known = certificates.get(url);
        if (known != null) {
            return known;
        }
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw ProblemException.unauthorized("The SNS signing certificate could not be fetched");
            }
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(answer.body()));
            certificate.checkValidity();
            certificates.put(url, certificate);
            return certificate;
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw ProblemException.unauthorized("The SNS signing certificate could not be read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unauthorized("Interrupted while fetching the SNS signing certificate");
        }
    }

    /** Only Amazon's SNS hosts: a forged message must not make us fetch from anywhere it likes. */
    private URI allowed(String url) {
        if (url == null || !allowedUrls.matcher(url).matches()) {
            throw ProblemException.unauthorized("The SNS message names an address that is not Amazon SNS's");
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthorized("The SNS message names no valid address");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
