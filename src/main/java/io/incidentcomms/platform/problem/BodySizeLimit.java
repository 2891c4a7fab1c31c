package io.incidentcomms.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * API bodies are small: one over {@code comms.http.max-api-body} is refused with a 413 problem
 * before it is read, and a body of unannounced length with 411 — any {@code Transfer-Encoding}
 * (chunked, gzip with chunked, repeated headers: what the HTTP layer decodes) counts as
 * unannounced, whatever {@code Content-Length} says (HTTP/2, where a body needs no length, is off). Only
 * the streaming subscriber import may be large or chunked (it caps its bytes and lines itself), and
 * the console's file upload may be up to {@code comms.http.max-upload-body}, which is also the HTTP
 * layer's own limit ({@code quarkus.http.limits.max-body-size}).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** The one streaming upload (SubscriberImportRoute), exempt from the API body limit. */
    static final String STREAMED_PATH = "/api/subscribers/import";
    /** The console's file upload (stored to disk by the REST layer, then imported in the background). */
    static final String UPLOAD_PATH = "/console/subscribers/import";
    public static final String UPLOAD_LIMIT = "comms.http.max-upload-body";
    public static final String UPLOAD_LIMIT_DEFAULT = "16M";

    void install(@Observes Router router,
            @ConfigProperty(name = "comms.http.max-api-body", defaultValue = "256K") MemorySize limit,
            @ConfigProperty(name = UPLOAD_LIMIT, defaultValue = UPLOAD_LIMIT_DEFAULT) MemorySize uploadLimit) {
        long apiMax = limit.asLongValue();
        long uploadMax = uploadLimit.asLongValue();
        router.route().order(-1000).handler(context -> {
            if (context.normalizedPath().equals(STREAMED_PATH)) {
                context.next();
                return;
            }
            List<String> lengths = context.request().headers().getAll("Content-Length");
            boolean encoded = !context.request().headers().getAll("Transfer-Encoding").isEmpty();
            if (encoded) {
                RawProblemResponse.send(context.response(), new Problem("about:blank", "Length Required", 411,
                        "Send the body with a Content-Length and no Transfer-Encoding", context.normalizedPath(), List.of()));
                return;
            }
            String length = lengths.isEmpty() ? null : lengths.get(0);
            if (lengths.size() > 1 || (length != null && parse(length) < 0)) {
                RawProblemResponse.send(context.response(), new Problem("about:blank", "Bad Request", 400,
                        "Content-Length must be one number", context.normalizedPath(), List.of()));
                return;
            }
            long max = context.normalizedPath().equals(UPLOAD_PATH) ? uploadMax : apiMax;
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
