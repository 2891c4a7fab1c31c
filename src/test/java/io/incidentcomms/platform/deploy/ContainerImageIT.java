package io.incidentcomms.platform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.FreshDatabase;
import io.incidentcomms.support.TestServices;

/**
 * The image the build made ({@code target/incident-comms-image.tar}, with the {@code image} profile
 * that .ci/run turns on), run as a container would run it: its own entrypoint, JVM options,
 * environment and user, on a read-only root filesystem with a tmpfs at /tmp
 * ({@code src/image/run-image.sh}), against the test database. It must get ready, answer, run as
 * uid 185 with the heap sized from the container, and stop on SIGTERM.
 */
class ContainerImageIT {

    static final Path IMAGE = Path.of("target/incident-comms-image.tar");
    static final int PORT = 18_091;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theImageStartsAsANonRootUserOnAReadOnlyRootFilesystemAndStopsOnSigterm() throws Exception {
        assertTrue(Files.isRegularFile(IMAGE), "the build made " + IMAGE);
        String database = "container_image_it";
        FreshDatabase.create(database);
        String marker = UUID.randomUUID().toString();
        Path log = Path.of("target/it-container-image.log");
        Process script = new ProcessBuilder("bash", "src/image/run-image.sh", IMAGE.toString(),
                "QUARKUS_HTTP_PORT=" + PORT,
                "QUARKUS_DATASOURCE_JDBC_URL=" + TestServices.postgresUrl(database),
                "QUARKUS_DATASOURCE_USERNAME=postgres", "QUARKUS_DATASOURCE_PASSWORD=postgres",
                "COMMS_AUDIENCE_SELF_SERVICE_TOKEN_SECRET=container-image-it-secret",
                "COMMS_ACCESS_BOOTSTRAP_ADMIN_KEY=container-image-it-key",
                "IMAGE_IT_RUN=" + marker)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProcessHandle service = null;
        try {
            awaitReady(script, log);
            service = serviceProcess(marker).orElseThrow(() -> new AssertionError("no JVM of this run"));

            assertEquals(200, get("/api/incidents").statusCode(), "the API answers");
            assertEquals(200, get("/").statusCode(), "the status page answers");
            String status = Files.readString(Path.of("/proc", String.valueOf(service.pid()), "status"));
            assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+185\\s+185\\s+185\\s+185")),
                    "the service runs as uid 185, not root: " + status.lines().filter(l -> l.startsWith("Uid")).toList());
            List<String> command = commandLine(service.pid());
            assertTrue(command.contains("-XX:MaxRAMPercentage=75"), "the heap follows the container's memory: " + command);
            assertTrue(environment(service.pid()).contains("COMMS_MESSAGES_TEMPLATES_DIR=/deployments/templates"),
                    "the templates folder is the mount point k8s/base uses");

            long stopping = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", String.valueOf(service.pid())).start().waitFor();
            assertTrue(script.waitFor(40, java.util.concurrent.TimeUnit.SECONDS), "stopped on SIGTERM");
            assertTrue(Files.readString(log).contains("stopped in"), "a graceful stop, not a kill");
            System.out.printf("Image run: ready, answered as uid 185, stopped %d ms after SIGTERM%n",
                    Duration.ofNanos(System.nanoTime() - stopping).toMillis());
        } finally {
            if (service != null && service.isAlive()) {
                service.destroyForcibly();
            }
            script.destroyForcibly();
        }
    }

    private static void awaitReady(Process script, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!script.isAlive()) {
                throw new AssertionError("the image stopped at start; see " + log + ":\n" + tail(log));
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the image did not get ready; see " + log + ":\n" + tail(log));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The JVM started for this run: the one whose environment carries its marker. */
    private static Optional<ProcessHandle> serviceProcess(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> commandLine(p.pid()).contains("quarkus-run.jar"))
                .filter(p -> environment(p.pid()).contains("IMAGE_IT_RUN=" + marker))
                .findFirst();
    }

    private static List<String> commandLine(long pid) {
        return nulSeparated(Path.of("/proc", String.valueOf(pid), "cmdline"));
    }

    private static List<String> environment(long pid) {
        return nulSeparated(Path.of("/proc", String.valueOf(pid), "environ"));
    }

    private static List<String> nulSeparated(Path file) {
        try {
            return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException gone) {
            return new ArrayList<>();
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("LIBARCHIVE")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
