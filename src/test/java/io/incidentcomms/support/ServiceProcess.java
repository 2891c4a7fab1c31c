package io.incidentcomms.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One running service: a separate JVM started from the packaged application (so only after
 * {@code package}), on its own database, logging to {@code target/it-<name>.log}.
 */
public record ServiceProcess(String name, int port, Process process) {

    public static final String KEY = "it-admin-key";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Starts the service with the given system properties on top of the common ones, and waits until it is ready. */
    public static ServiceProcess start(String name, int port, String database, List<String> properties) throws Exception {
        Path log = Path.of("target", "it-" + name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + TestServices.postgresUrl(database),
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Dcomms.access.bootstrap-admin-key=" + KEY,
                "-Dcomms.events.relay.enabled=false",
                "-Dmp.messaging.incoming.disruption-events.enabled=false",
                "-Dcomms.audience.self-service.token-secret=it-secret"));
        command.addAll(properties);
        command.addAll(List.of("-jar", new File("target/quarkus-app/quarkus-run.jar").getAbsolutePath()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServiceProcess service = new ServiceProcess(name, port, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died at start; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(service.url("/q/health/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return service;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not get ready; see " + log);
    }

    /**
     * Points a service at a local SMTP server and the Twilio stub, with short provider timeouts: for
     * tests that inject provider faults and must see them time out quickly.
     */
    public static List<String> localProviders(int smtpPort, int twilioPort) {
        List<String> properties = new java.util.ArrayList<>(localProvidersWithProductionTimeouts(smtpPort, twilioPort));
        properties.addAll(List.of("-Dcomms.delivery.email.smtp-timeout=3s", "-Dcomms.sms.twilio.timeout=2s"));
        return properties;
    }

    /**
     * Points a service at a local SMTP server and the Twilio stub with production's timeouts (and so
     * production's lease): for tests with no injected fault, where a short timeout would turn a pause
     * of the test's own GreenMail on a loaded machine into a lost connection, an uncertain send and,
     * under at-least-once email, a second copy.
     */
    public static List<String> localProvidersWithProductionTimeouts(int smtpPort, int twilioPort) {
        return List.of("-Dquarkus.mailer.host=127.0.0.1", "-Dquarkus.mailer.port=" + smtpPort,
                "-Dcomms.sms.twilio.account-sid=" + TwilioStub.ACCOUNT_SID,
                "-Dcomms.sms.twilio.auth-token=" + TwilioStub.AUTH_TOKEN,
                "-Dcomms.sms.twilio.from-number=+15005550006",
                "-Dcomms.sms.twilio.base-url=http://127.0.0.1:" + twilioPort);
    }

    /** SIGTERM to each of these that is still running, and waits for it. */
    public static void stopAll(ServiceProcess... services) throws InterruptedException {
        for (ServiceProcess service : services) {
            if (service != null && service.process().isAlive()) {
                service.stop();
            }
        }
    }

    /** Drops and creates a database for one test class's processes. */
    public static void freshDatabase(String database) {
        FreshDatabase.create(database);
    }

    /** The single number a query on that database answers. */
    public static long count(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database), "postgres", "postgres");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String post(String path, String contentType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": " + response.body());
        return response.body();
    }

    public double metric(String line) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** SIGTERM, and wait for the process to end. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
