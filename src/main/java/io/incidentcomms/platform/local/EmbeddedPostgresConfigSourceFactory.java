package io.incidentcomms.platform.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The no-services run ({@code local} profile, which dev mode inherits): when
 * {@code comms.local.embedded-database=true} and no datasource URL is configured, starts a real
 * PostgreSQL (15, from Maven artifacts) for this JVM and points the datasource at it, so the same
 * Flyway migrations serve here and in production. Never active in the production profile, so a
 * production start without a datasource fails instead of silently using throw-away storage.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "comms.local.embedded-database";
    /** Survives dev-mode reloads, which load this class again but keep the JVM (and the database). */
    private static final String URL_PROPERTY = "comms.local.embedded-database.jdbc-url";
    private static final String DATASOURCE_URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue(ENABLED)) || hasValue(context.getValue(DATASOURCE_URL))) {
            return List.of();
        }
        String url = startOncePerJvm();
        return List.of(new PropertiesConfigSource(Map.of(
                DATASOURCE_URL, url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgres", 270));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(270);
    }

    private static synchronized String startOncePerJvm() {
        String running = System.getProperty(URL_PROPERTY);
        if (running != null) {
            return running;
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the temporary data directory goes with the process
                }
            }, "embedded-postgres-stop"));
            String url = postgres.getJdbcUrl("postgres", "postgres");
            System.setProperty(URL_PROPERTY, url);
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for the local run", e);
        }
    }

    private static boolean isTrue(ConfigValue value) {
        return value != null && "true".equalsIgnoreCase(value.getValue());
    }

    private static boolean hasValue(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
