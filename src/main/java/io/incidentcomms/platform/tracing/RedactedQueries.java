package io.incidentcomms.platform.tracing;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps query values out of traces. The links in customers' messages carry their tokens in the
 * query ({@code /self-service?token=…}, which can unsubscribe them), and the HTTP instrumentation
 * records a request's query on its span; every value is replaced before any exporter sees the span.
 */
@ApplicationScoped
public class RedactedQueries implements SpanProcessor {

    private static final List<AttributeKey<String>> QUERIES = List.of(AttributeKey.stringKey("url.query"));
    private static final List<AttributeKey<String>> URLS = List.of(AttributeKey.stringKey("url.full"),
            AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : QUERIES) {
            String query = span.getAttribute(key);
            if (query != null) {
                span.setAttribute(key, redact(query));
            }
        }
        for (AttributeKey<String> key : URLS) {
            String url = span.getAttribute(key);
            int question = url == null ? -1 : url.indexOf('?');
            if (question >= 0) {
                span.setAttribute(key, url.substring(0, question + 1) + redact(url.substring(question + 1)));
            }
        }
    }

    /** Names stay, values go: {@code token=abc&lang=de} becomes {@code token=…&lang=…}. */
    static String redact(String query) {
        return query.replaceAll("=[^&]*", "=…");
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // nothing: values were replaced at the start, before any attribute could be exported
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
