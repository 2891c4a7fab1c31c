package io.incidentcomms.platform.tracing;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Turns the OpenTelemetry SDK on exactly when {@code comms.tracing.endpoint} is set, pointing its
 * trace exporter there. Without it the SDK would export to {@code localhost:4317} and log a failure
 * every few seconds on every installation that has no collector. Ranked between
 * {@code application.properties} and the environment, so an operator can still set the
 * {@code quarkus.otel.*} settings directly.
 */
public class TracingSwitchConfigSourceFactory implements ConfigSourceFactory {

    static final String ENDPOINT = "comms.tracing.endpoint";
    private static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue endpoint = context.getValue(ENDPOINT);
        boolean on = endpoint != null && endpoint.getValue() != null && !endpoint.getValue().isBlank();
        Map<String, String> settings = on
                ? Map.of("quarkus.otel.sdk.disabled", "false",
                        "quarkus.otel.exporter.otlp.traces.endpoint", endpoint.getValue().strip())
                : Map.of("quarkus.otel.sdk.disabled", "true");
        return List.of(new PropertiesConfigSource(settings, "tracing-switch", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
