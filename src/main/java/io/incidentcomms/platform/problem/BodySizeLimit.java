package io.incidentcomms.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Answers an announced oversized body with a 413 problem before reading it. The HTTP layer
 * enforces the same limit on bodies without a length, with a bare 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(-1000).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && parse(length) > max) {
                Problem problem = new Problem("about:blank", "Content Too Large", 413,
                        "The request body is larger than " + (max / 1024) + " KiB", context.normalizedPath(), List.of());
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(problem));
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
