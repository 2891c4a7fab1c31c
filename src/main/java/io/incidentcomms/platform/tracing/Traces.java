package io.incidentcomms.platform.tracing;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries a trace across the database: work that a request starts and a worker finishes later
 * (an update published over HTTP, planned and sent by other threads, maybe on another replica)
 * keeps the request's span as a W3C {@code traceparent} string and continues it from there.
 */
@ApplicationScoped
public class Traces {

    private static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final boolean on;

    Traces(Tracer tracer, @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled) {
        this.tracer = tracer;
        this.on = !sdkDisabled;
    }

    /** Whether spans are recorded at all; when not, callers skip even looking up kept trace parents. */
    public boolean on() {
        return on;
    }

    /** The current span as a {@code traceparent} to keep with the work it hands on; null when nothing is traced. */
    public String currentParent() {
        if (!on || !Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts a span that continues the trace a kept {@code traceparent} names (a new trace when there
     * is none). The caller ends it; it is not made current.
     */
    public Span start(String name, SpanKind kind, String keptParent) {
        Context parent = keptParent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, keptParent),
                        FROM_MAP);
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }
}
