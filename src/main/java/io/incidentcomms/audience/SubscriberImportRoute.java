package io.incidentcomms.audience;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.incidentcomms.access.ApiKeyService;
import io.incidentcomms.access.ApiKeys;
import io.incidentcomms.access.Role;
import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.problem.RawProblemResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code POST /api/subscribers/import}: JSON lines ({@code application/x-ndjson}) or CSV
 * ({@code text/csv}) of any size, imported while it streams in. It is a plain HTTP route rather
 * than a REST resource because the REST layer reads a whole body into memory first.
 */
@ApplicationScoped
public class SubscriberImportRoute {

    static final String PATH = "/api/subscribers/import";
    private static final Logger LOG = Logger.getLogger(SubscriberImportRoute.class);

    private final SubscriberImport subscribers;
    private final ApiKeyService keys;
    private final ManagedExecutor executor;

    SubscriberImportRoute(SubscriberImport subscribers, ApiKeyService keys, ManagedExecutor executor) {
        this.subscribers = subscribers;
        this.keys = keys;
        this.executor = executor;
    }

    void install(@Observes Router router) {
        router.post(PATH).order(-500).handler(this::handle);
    }

    private void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        request.pause();
        Optional<SubscriberImport.Format> format = format(request.getHeader("Content-Type"));
        if (format.isEmpty()) {
            RawProblemResponse.send(routing.response(), new Problem("about:blank", "Unsupported Media Type", 415,
                    "Send application/x-ndjson (JSON lines) or text/csv", PATH, List.of()));
            return;
        }
        String key = ApiKeys.fromHeaders(request::getHeader);
        StreamingRequestBody body = new StreamingRequestBody(request, Vertx.currentContext());
        executor.execute(() -> {
            try {
                authorize(key);
                request.resume();
                SubscriberViews.ImportReport report = subscribers.importRows(body, format.get());
                routing.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .end(Json.encode(report));
            } catch (ProblemException e) {
                RawProblemResponse.send(routing.response(), e.toProblem(PATH));
            } catch (RuntimeException e) {
                LOG.error("Subscriber import failed", e);
                RawProblemResponse.send(routing.response(), new Problem("about:blank", "Internal Server Error", 500,
                        "The import stopped; rows reported before this point may have been imported", PATH,
                        List.of()));
            }
        });
    }

    private void authorize(String key) {
        if (key == null) {
            throw ProblemException.unauthorized("An API key is required: send it as 'Authorization: Bearer <key>'");
        }
        ApiKeyService.KeyIdentity identity = keys.authenticate(key).orElseThrow(
                () -> ProblemException.unauthorized("The API key is unknown or revoked"));
        var roles = identity.role().grantedRoles();
        if (!roles.contains(Role.SUBSCRIBERS_NAME)) {
            throw new ProblemException(403, "forbidden", "Forbidden", "This API key's role does not allow this action");
        }
    }


    private static Optional<SubscriberImport.Format> format(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-ndjson", "application/jsonl", "application/json" ->
                Optional.of(SubscriberImport.Format.JSON_LINES);
            case "text/csv" -> Optional.of(SubscriberImport.Format.CSV);
            default -> Optional.empty();
        };
    }
}
