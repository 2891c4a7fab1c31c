package io.incidentcomms.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Signs email providers' events as the providers do, with keys of the tests' own: SendGrid's
 * ECDSA signature (the key whose public half {@code %test.comms.email-events.sendgrid.public-key}
 * holds), and Amazon SNS's RSA signature under a self-signed certificate that a local stand-in for
 * SNS serves (with the subscription confirmation address).
 */
public final class EmailProviderSigning implements AutoCloseable {

    /** The public half is in the test configuration; a key for tests only. */
    public static final String SENDGRID_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPk5lfn8Of7uguNiqwqbd2p/x3QKWf8MOkGZnHRMKGqK+VWYe5rvfBoixp/AFJBSkG0OmpDYKdNCLPS0B0zSgBQ==";
    private static final String SENDGRID_PRIVATE_KEY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgeh5VpELHvm6P14XltNDVozFw/bTcm30YRJxDMAogJ7ahRANCAAQ+TmV+fw5/u6C42KrCpt3an/HdApZ/ww6QZmcdEwoaor5VZh7mu98GiLGn8AUkFKQbQ6akNgp00Is9LQHTNKAF";

    private static final String CERTIFICATE = "/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem";

    private final HttpServer sns;
    private final PrivateKey snsKey;
    private final byte[] snsCertificatePem;
    private final List<String> confirmations = new CopyOnWriteArrayList<>();

    public EmailProviderSigning() throws Exception {
        Path dir = Files.createTempDirectory("sns-key");
        Path store = dir.resolve("sns.p12");
        run(List.of(keytool(), "-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=sns.test", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        snsKey = (PrivateKey) keys.getKey("sns", "changeit".toCharArray());
        Certificate certificate = keys.getCertificate("sns");
        snsCertificatePem = ("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        Files.delete(store);
        Files.delete(dir);
        sns = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        sns.createContext(CERTIFICATE, exchange -> {
            exchange.sendResponseHeaders(200, snsCertificatePem.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(snsCertificatePem);
            }
        });
        sns.createContext("/confirm", exchange -> {
            confirmations.add(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sns.start();
    }

    /**
     * An SNS message from a fixture (with {@code values} for its other placeholders): its certificate and confirmation addresses pointed at the
     * local stand-in, then signed as SNS signs (version 1: SHA1withRSA over the fields in their
     * fixed order, each as {@code name\nvalue\n}).
     */
    public String snsMessage(String fixture, Map<String, String> values) throws Exception {
        String base = "http://127.0.0.1:" + sns.getAddress().getPort();
        Map<String, String> all = new HashMap<>(values);
        all.put("signing_cert_url", base + CERTIFICATE);
        all.put("subscribe_url", base + "/confirm?Token=test-token");
        all.put("signature", "");
        ObjectNode message = (ObjectNode) new ObjectMapper().readTree(Fixtures.read(fixture, all));
        List<String> fields = "Notification".equals(message.path("Type").asText())
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder signed = new StringBuilder();
        for (String field : fields) {
            if (message.hasNonNull(field)) {
                signed.append(field).append('\n').append(message.get(field).asText()).append('\n');
            }
        }
        message.put("SignatureVersion", "1");
        Signature signer = Signature.getInstance("SHA1withRSA");
        signer.initSign(snsKey);
        signer.update(signed.toString().getBytes(StandardCharsets.UTF_8));
        message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
        return message.toString();
    }

    /** SendGrid's signature header over a timestamp and a body. */
    public static String sendGridSignature(String timestamp, String body) throws Exception {
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(SENDGRID_PRIVATE_KEY)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    /** The query strings of the subscription confirmations the stand-in for SNS received. */
    public List<String> confirmations() {
        return List.copyOf(confirmations);
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    @Override
    public void close() {
        sns.stop(0);
    }
}
