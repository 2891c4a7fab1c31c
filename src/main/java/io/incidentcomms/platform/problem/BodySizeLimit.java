package io.incidentcomms.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * API bodies are small: one over {@code comms.http.max-api-body} is refused with a 413 problem
 * before it is read, and a body of unannounced length (chunked) with 411. Only the streaming
 * subscriber import may be large or chunked; the HTTP layer caps everything at
 * {@code quarkus.http.limits.max-body-size}.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** The one streaming upload (SubscriberImportRoute), exempt from the API body limit. */
    static final String STREAMED_PATH = "/api/subscribers/import";

    void install(@Observes Router router,
            @ConfigProperty(name = "comms.http.max-api-body", defaultValue = "256K") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(-1000).handler(context -> {
            if (context.normalizedPath().equals(STREAMED_PATH)) {
                context.next();
                return;
            }
            String length = context.request().getHeader("Content-Length");
            boolean chunked = "chunked".equalsIgnoreCase(context.request().getHeader("Transfer-Encoding"));
            if (length == null && chunked) {
                RawProblemResponse.send(context.response(), new Problem("about:blank", "Length Required", 411,
                        "Send the body with a Content-Length", context.normalizedPath(), List.of()));
                return;
            }
            if (length != null && parse(length) > max) {
                RawProblemResponse.send(context.response(), new Problem("about:blank", "Content Too Large", 413,
                        "The request body is larger than " + (max / 1024) + " KiB", context.normalizedPath(), List.of()));
                return;
            }
            context.next();
        });
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
