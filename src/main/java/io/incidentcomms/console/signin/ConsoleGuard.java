package io.incidentcomms.console.signin;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.incidentcomms.console.ConsolePages;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

/**
 * Every console route passes here first. Anonymous visitors are sent to the sign-in page (a
 * browser) or refused; a user whose role is below the route's {@link Allowed} is refused; every
 * unsafe request must carry the session's CSRF token in its form ({@code csrf}) or, from htmx, in
 * the {@code X-CSRF-Token} header. Forms without it are refused before the resource sees them.
 */
public class ConsoleGuard {

    public static final String CSRF_FIELD = "csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private final CurrentUser currentUser;
    private final ConsolePages pages;

    ConsoleGuard(CurrentUser currentUser, ConsolePages pages) {
        this.currentUser = currentUser;
        this.pages = pages;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> signedIn(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        if (!isConsole(request)) {
            return Optional.empty();
        }
        Allowed allowed = allowed(resource);
        if (allowed.anonymous()) {
            return Optional.empty();
        }
        Optional<ConsoleSessions.Session> session = currentUser.session();
        if (session.isEmpty()) {
            if ("GET".equals(request.getMethod())) {
                String next = request.getUriInfo().getRequestUri().getRawPath();
                String query = request.getUriInfo().getRequestUri().getRawQuery();
                return Optional.of(Response.seeOther(URI.create("/console/sign-in?next="
                        + java.net.URLEncoder.encode(query == null ? next : next + "?" + query, StandardCharsets.UTF_8)))
                        .build());
            }
            return Optional.of(pages.refusal(401, "Signed out", "Your session has ended. Sign in again, then repeat what you did."));
        }
        if (!session.get().role().includes(allowed.value())) {
            return Optional.of(pages.refusal(403, "Not allowed",
                    "This needs the " + allowed.value().wire() + " role; you are signed in as "
                            + session.get().role().wire() + "."));
        }
        return Optional.empty();
    }

    @ConsoleForms
    @WithFormRead
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Optional<Response> carriesCsrfToken(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        if (!isConsole(request) || isSafe(request.getMethod()) || allowed(resource).anonymous()) {
            return Optional.empty();
        }
        Optional<ConsoleSessions.Session> session = currentUser.session();
        if (session.isEmpty()) {
            return Optional.of(pages.refusal(401, "Signed out", "Your session has ended. Sign in again, then repeat what you did."));
        }
        String sent = request.getHeaderString(CSRF_HEADER);
        if (sent == null) {
            Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                    .getFormParameter(CSRF_FIELD, true, false);
            sent = field == null ? null : field.toString();
        }
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(pages.refusal(403, "Form expired",
                    "This form did not come from your current session. Reload the page and try again."));
        }
        return Optional.empty();
    }

    static boolean isConsole(ResteasyReactiveContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        return path.equals("/console") || path.startsWith("/console/");
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    private static Allowed allowed(ResourceInfo resource) {
        Allowed allowed = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(Allowed.class);
        if (allowed == null && resource.getResourceClass() != null) {
            allowed = resource.getResourceClass().getAnnotation(Allowed.class);
        }
        return allowed != null ? allowed : DEFAULT;
    }

    @Allowed
    private static final class Defaults {
    }

    private static final Allowed DEFAULT = Defaults.class.getAnnotation(Allowed.class);
}
