package io.incidentcomms.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before the first test: PostgreSQL and RabbitMQ must answer on 127.0.0.1 (the tests use the real
 * ones). When one does not and a container runtime (Docker or Podman) is there, Quarkus Dev
 * Services start it in a container instead; with neither, the run stops at once saying what is
 * missing and how to start it, instead of every test failing with its own wall of connection errors.
 */
public class ServicesAreUp implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        boolean postgres = listening(5432);
        boolean rabbit = listening(5672);
        if (postgres && rabbit) {
            return;
        }
        Optional<String> runtime = containerRuntime(System.getenv(), Path.of("/"));
        if (runtime.isPresent() && !"false".equalsIgnoreCase(System.getenv("COMMS_TEST_DEV_SERVICES"))) {
            devServicesFor(postgres, rabbit).forEach(System::setProperty);
            System.err.println("[incident-comms tests] " + (postgres ? "" : "PostgreSQL ") + (rabbit ? "" : "RabbitMQ ")
                    + "not on 127.0.0.1: Quarkus Dev Services start them through " + runtime.get()
                    + " (the process-based ITs and the fault harness still need them on 127.0.0.1)");
            return;
        }
        throw new IllegalStateException("The tests need services that are not running:\n  - "
                + String.join("\n  - ", missing(postgres, rabbit))
                + "\n`bash .ci/run` starts both when they are installed; with Docker or Podman running instead,"
                + " Quarkus Dev Services start them in containers.");
    }

    /** What to install or start, for each service not listening on its port. */
    static List<String> missing(int postgresPort, int rabbitPort) {
        return missing(listening(postgresPort), listening(rabbitPort), postgresPort, rabbitPort);
    }

    private static List<String> missing(boolean postgres, boolean rabbit) {
        return missing(postgres, rabbit, 5432, 5672);
    }

    private static List<String> missing(boolean postgres, boolean rabbit, int postgresPort, int rabbitPort) {
        List<String> missing = new ArrayList<>();
        if (!postgres) {
            missing.add("PostgreSQL on 127.0.0.1:" + postgresPort + " (trust auth for 'postgres', a database 'test'):"
                    + " install postgresql and run `pg_ctlcluster <version> main start`");
        }
        if (!rabbit) {
            missing.add("RabbitMQ on 127.0.0.1:" + rabbitPort + " (guest/guest): install rabbitmq-server and run `rabbitmq-server -detached`");
        }
        return missing;
    }

    /**
     * The settings that let Quarkus Dev Services stand in for each missing service: its fixed
     * address is cleared (Dev Services start only for a service with none), Dev Services are turned
     * on for it, and the test support is told to follow the addresses they give.
     */
    static Map<String, String> devServicesFor(boolean postgresUp, boolean rabbitUp) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (postgresUp && rabbitUp) {
            return settings;
        }
        settings.put("quarkus.devservices.enabled", "true");
        if (!postgresUp) {
            settings.put(TestServices.POSTGRES_IN_DEV_SERVICES, "true");
            settings.put("quarkus.datasource.devservices.enabled", "true");
            settings.put("quarkus.datasource.devservices.db-name", "test");
            settings.put("%test.quarkus.datasource.jdbc.url", "");
        }
        if (!rabbitUp) {
            settings.put(TestServices.RABBIT_IN_DEV_SERVICES, "true");
            settings.put("quarkus.rabbitmq.devservices.enabled", "true");
            settings.put("rabbitmq-host", "");
            settings.put("rabbitmq-port", "");
        }
        return settings;
    }

    /** The Docker or Podman endpoint Testcontainers would use, if there is one. */
    static Optional<String> containerRuntime(Map<String, String> environment, Path root) {
        String dockerHost = environment.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return Optional.of(dockerHost);
        }
        List<Path> sockets = new ArrayList<>(List.of(root.resolve("var/run/docker.sock"), root.resolve("run/podman/podman.sock")));
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(root.resolve(runtimeDir.replaceFirst("^/", "")).resolve("podman/podman.sock"));
            sockets.add(root.resolve(runtimeDir.replaceFirst("^/", "")).resolve("docker.sock"));
        }
        return sockets.stream().filter(Files::exists).map(p -> "unix://" + Path.of("/").resolve(root.relativize(p))).findFirst();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
