package io.incidentcomms.console.signin;

import java.util.Optional;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The console session of this request, read once from its cookie; {@code cdi:currentUser} in templates. */
@RequestScoped
@Named("currentUser")
public class CurrentUser {

    public static final String COOKIE = "console_session";

    private final ConsoleSessions sessions;
    private final HttpServerRequest request;
    private Optional<ConsoleSessions.Session> session;

    CurrentUser(ConsoleSessions sessions, HttpServerRequest request) {
        this.sessions = sessions;
        this.request = request;
    }

    public Optional<ConsoleSessions.Session> session() {
        if (session == null) {
            Cookie cookie = request.getCookie(COOKIE);
            session = cookie == null ? Optional.empty() : sessions.find(cookie.getValue());
        }
        return session;
    }

    public ConsoleSessions.Session require() {
        return session().orElseThrow(() -> new IllegalStateException("no console session; the guard lets no such request through"));
    }

    public String token() {
        Cookie cookie = request.getCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    public String username() {
        return require().username();
    }

    public boolean signedIn() {
        return session().isPresent();
    }

    public String csrfToken() {
        return session().map(ConsoleSessions.Session::csrfToken).orElse("");
    }

    public String role() {
        return session().map(s -> s.role().wire()).orElse("");
    }

    public io.incidentcomms.audit.Actor actor() {
        return ConsoleUsers.actor(username());
    }

    /** For templates: whether the signed-in user may do what {@code role} may. */
    public boolean can(String role) {
        return session().map(s -> s.role().includes(ConsoleRole.fromWire(role))).orElse(false);
    }
}
