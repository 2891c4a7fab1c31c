package io.incidentcomms.platform.tracing;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Tracing ({@code comms.tracing}): off unless an OTLP endpoint is given, then every request, the
 * planning of each update and each provider send are exported there as one trace per update.
 */
@ConfigMapping(prefix = "comms.tracing")
public interface TracingConfig {

    /**
     * The OpenTelemetry collector to export spans to, e.g. {@code http://otel-collector:4317}
     * (gRPC; set {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf} for port 4318).
     * Unset: the OpenTelemetry SDK is disabled and nothing is traced.
     */
    Optional<String> endpoint();
}
