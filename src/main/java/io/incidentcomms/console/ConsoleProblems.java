package io.incidentcomms.console;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.incidentcomms.platform.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

/**
 * Someone on call never gets raw JSON from the console: a problem on a console page (an unknown
 * incident, a state change the life cycle refuses, a failure of ours with its reference) is answered
 * with a console page that says it in words.
 */
public class ConsoleProblems {

    @ServerResponseFilter
    public void asConsolePage(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/console") || path.startsWith("/console/")) || !(response.getEntity() instanceof Problem problem)) {
            return;
        }
        String title = switch (problem.status()) {
            case 404 -> "Not found";
            case 409 -> "Not possible now";
            case 400, 422 -> "Not accepted";
            case 500 -> "Something went wrong on our side";
            default -> problem.title();
        };
        String message = problem.status() >= 500 ? problem.detail() + " Quote this when you report it."
                : problem.detail() + (problem.errors() == null || problem.errors().isEmpty() ? ""
                        : " " + problem.errors().stream().map(e -> e.field() + " " + e.message())
                                .reduce((a, b) -> a + "; " + b).orElse(""));
        response.setEntity(ConsolePages.Templates.refused(title, message).render(), null,
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }
}
