package io.incidentcomms.platform.problem;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;

/** Problem details written straight onto a Vert.x response, for routes outside the REST layer. */
public final class RawProblemResponse {

    private RawProblemResponse() {
    }

    /** Answers with the problem and closes the connection: the request body was not read. */
    public static void send(HttpServerResponse response, Problem problem) {
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.putHeader("Connection", "close").end(Json.encode(problem));
    }
}
