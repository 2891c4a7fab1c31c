package io.incidentcomms.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A run without PostgreSQL or RabbitMQ uses Quarkus Dev Services when a container runtime is there,
 * and otherwise stops at once, naming each missing service and how to start it.
 */
class ServicesAreUpTest {

    @Test
    void eachServiceNotListeningIsNamedWithHowToStartIt() {
        List<String> missing = ServicesAreUp.missing(1, 2); // nothing listens on ports 1 and 2

        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("PostgreSQL on 127.0.0.1:1") && missing.get(0).contains("pg_ctlcluster"));
        assertTrue(missing.get(1).startsWith("RabbitMQ on 127.0.0.1:2") && missing.get(1).contains("rabbitmq-server"));
    }

    @Test
    void servicesThatAreUpAreNotNamed() {
        assertEquals(List.of(), ServicesAreUp.missing(5432, 5672), "this run has both");
    }

    @Test
    void aContainerRuntimeIsFoundByDockerHostOrByItsSocket(@TempDir Path root) throws IOException {
        assertEquals(Optional.empty(), ServicesAreUp.containerRuntime(Map.of(), root));
        assertEquals(Optional.of("tcp://build-host:2375"),
                ServicesAreUp.containerRuntime(Map.of("DOCKER_HOST", "tcp://build-host:2375"), root));

        Files.createDirectories(root.resolve("run/user/1000/podman"));
        Files.createFile(root.resolve("run/user/1000/podman/podman.sock"));
        assertEquals(Optional.of("unix:///run/user/1000/podman/podman.sock"),
                ServicesAreUp.containerRuntime(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), root));

        Files.createDirectories(root.resolve("var/run"));
        Files.createFile(root.resolve("var/run/docker.sock"));
        assertEquals(Optional.of("unix:///var/run/docker.sock"), ServicesAreUp.containerRuntime(Map.of(), root));
    }

    @Test
    void devServicesReplaceOnlyTheMissingServiceAndClearItsFixedAddressInTheTestProfile() throws IOException {
        SmallRyeConfig neither = testProfileWith(ServicesAreUp.devServicesFor(false, false));
        assertFalse(neither.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent(),
                "Dev Services start a database only when no URL is configured");
        assertFalse(neither.getOptionalValue("rabbitmq-host", String.class).isPresent());
        assertFalse(neither.getOptionalValue("rabbitmq-port", String.class).isPresent());
        assertEquals(Optional.of(true), neither.getOptionalValue("quarkus.devservices.enabled", Boolean.class));
        assertEquals(Optional.of("postgres"), neither.getOptionalValue("quarkus.datasource.username", String.class),
                "the container is made with the tests' own credentials");

        SmallRyeConfig onlyRabbitMissing = testProfileWith(ServicesAreUp.devServicesFor(true, false));
        assertEquals(Optional.of("jdbc:postgresql://127.0.0.1:5432/test"),
                onlyRabbitMissing.getOptionalValue("quarkus.datasource.jdbc.url", String.class));
        assertFalse(onlyRabbitMissing.getOptionalValue("rabbitmq-host", String.class).isPresent());

        assertEquals(Map.of(), ServicesAreUp.devServicesFor(true, true), "nothing changes when both are up");
    }

    /** The service's application.properties in the test profile, under system properties as the listener sets them. */
    private static SmallRyeConfig testProfileWith(Map<String, String> systemProperties) throws IOException {
        Properties application = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            application.load(in);
        }
        return new SmallRyeConfigBuilder().withProfile("test").addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(application, "application.properties", 250))
                .withSources(new PropertiesConfigSource(systemProperties, "system properties", 400))
                .build();
    }
}
