package io.incidentcomms.platform.web;

import java.util.List;
import java.util.Locale;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.incidentcomms.platform.problem.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

/**
 * A browser following a link from one of our messages never gets raw JSON: on the customer pages
 * (self-service, option answers, full messages, the status page) — on any path but the API's — a
 * problem is answered with a page in the customer's language that says what happened and what
 * they can still do. API clients still get {@code application/problem+json}.
 */
public class ProblemPages {

    /**
     * Paths for programs, which get problem+json whatever they accept, and the console, which
     * answers with pages of its own; a browser on any other path gets a customer page.
     */
    static final List<String> PROGRAM_PATHS = List.of("/api/", "/q/", "/local/", "/console/");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance problem(String kind, int status, String reference, String token);
    }

    private final PageLocales locales;
    private final CustomerPage customerPage;

    ProblemPages(PageLocales locales, CustomerPage customerPage) {
        this.locales = locales;
        this.customerPage = customerPage;
    }

    @ServerResponseFilter
    public void asPage(ContainerRequestContext request, ContainerResponseContext response) {
        if (!forCustomer(request)) {
            return;
        }
        if (!(response.getEntity() instanceof Problem problem)) {
            if (customerPage.settled() != null && !response.getHeaders().containsKey("Content-Language")) {
                response.getHeaders().putSingle("Content-Language", customerPage.lang());
            }
            return;
        }
        Locale locale = customerPage.settled() != null ? customerPage.settled()
                : locales.choose(null, request.getUriInfo().getQueryParameters().getFirst("lang"),
                        request.getAcceptableLanguages());
        String token = customerPage.token() != null ? customerPage.token()
                : request.getUriInfo().getQueryParameters().getFirst("token");
        response.setEntity(Templates.problem(kind(problem), problem.status(), reference(problem), token)
                .setLocale(locale).render(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        response.getHeaders().putSingle("Content-Language", locale.toLanguageTag());
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }

    private static boolean forCustomer(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (PROGRAM_PATHS.stream().anyMatch(p -> path.startsWith(p) || (path + "/").equals(p))) {
            return false;
        }
        return request.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE)
                && !t.isWildcardType());
    }

    /** Which page: an invalid or expired link, nothing there, refused, too many tries, or our failure. */
    static String kind(Problem problem) {
        String type = problem.type() == null ? "" : problem.type();
        if (type.endsWith("/invalid-token")) {
            return "invalid-link";
        }
        if (type.endsWith("/token-expired") || type.endsWith("/expired-token")) {
            return "expired-link";
        }
        if (type.endsWith("/message-expired")) {
            return "expired-message";
        }
        return switch (problem.status()) {
            case 404, 410 -> "not-found";
            case 429 -> "too-many";
            default -> problem.status() >= 500 ? "error" : "refused";
        };
    }

    private static String reference(Problem problem) {
        String detail = problem.detail() == null ? "" : problem.detail();
        int at = detail.indexOf("reference ");
        return problem.status() >= 500 && at >= 0 ? detail.substring(at + "reference ".length()).replaceAll("[^A-Za-z0-9-]", "")
                : null;
    }
}
