package io.incidentcomms.console;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleConfig;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.console.signin.SingleSignOn;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/** Signing in and out of the console, and changing one's password. */
@Path("/console")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String username, String next, String error, SingleSignOnLink sso);

        static native TemplateInstance password(Map<String, String> errors, boolean changed);
    }

    /** The sign-in page's button to the identity provider, when single sign-on is set up. */
    public record SingleSignOnLink(String providerName, String href) {
    }

    private final ConsoleUsers users;
    private final CurrentUser currentUser;
    private final ConsoleConfig config;
    private final java.time.Clock clock;
    private final SingleSignOn singleSignOn;

    SignInResource(ConsoleUsers users, CurrentUser currentUser, ConsoleConfig config, java.time.Clock clock,
            SingleSignOn singleSignOn) {
        this.users = users;
        this.singleSignOn = singleSignOn;
        this.currentUser = currentUser;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Path("sign-in")
    @Allowed(anonymous = true)
    public TemplateInstance signInForm(@RestQuery String next) {
        return Templates.signIn("", safeNext(next), null, singleSignOnLink(next));
    }

    @POST
    @Path("sign-in")
    @Allowed(anonymous = true)
    public Response signIn(@RestForm String username, @RestForm String password, @RestForm String next,
            @Context HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        ConsoleUsers.SignIn result = users.signIn(username, password, client);
        if (result instanceof ConsoleUsers.SignIn.SignedIn signedIn) {
            return Response.seeOther(URI.create(safeNext(next))).cookie(sessionCookie(config, signedIn.token(), config.sessionMaxAge()))
                    .build();
        }
        if (result instanceof ConsoleUsers.SignIn.Throttled throttled) {
            long seconds = Math.max(1, Duration.between(clock.instant(), throttled.until()).toSeconds());
            return Response.status(429).header("Retry-After", seconds).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.signIn(username, safeNext(next), "Too many wrong passwords. Try again after "
                            + DateTimeFormatter.ofPattern("HH:mm 'UTC'").format(throttled.until().atZone(ZoneOffset.UTC))
                            + ", or ask an admin.", singleSignOnLink(next)).render())
                    .build();
        }
        return Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.signIn(username, safeNext(next), "Wrong username or password.", singleSignOnLink(next)).render()).build();
    }

    @POST
    @Path("sign-out")
    public Response signOut() {
        users.signOut(currentUser.username(), currentUser.token());
        return Response.seeOther(URI.create("/console/sign-in")).cookie(sessionCookie(config, "", Duration.ZERO)).build();
    }

    @GET
    @Path("password")
    public TemplateInstance passwordForm() {
        return Templates.password(Map.of(), false);
    }

    @POST
    @Path("password")
    public Response changePassword(@RestForm String current, @RestForm String password, @RestForm String repeat) {
        try {
            if (password == null || !password.equals(repeat)) {
                throw ProblemException.invalidField("repeat", "does not match the new password");
            }
            users.changePassword(currentUser.username(), current, password, currentUser.token());
            return Response.ok(Templates.password(Map.of(), true)).build();
        } catch (ProblemException e) {
            return Response.status(400).entity(Templates.password(ConsolePages.errors(e), false)).build();
        }
    }

    static NewCookie sessionCookie(ConsoleConfig config, String value, Duration maxAge) {
        return new NewCookie.Builder(CurrentUser.COOKIE).value(value).path("/console").httpOnly(true)
                .secure(config.secureCookie()).sameSite(NewCookie.SameSite.LAX).maxAge((int) maxAge.toSeconds()).build();
    }

    private SingleSignOnLink singleSignOnLink(String next) {
        if (!singleSignOn.enabled()) {
            return null;
        }
        String safe = safeNext(next);
        return new SingleSignOnLink(singleSignOn.providerName(), SingleSignOn.PATH
                + ("/console".equals(safe) ? "" : "?next=" + java.net.URLEncoder.encode(safe, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Only a console path of this site, as given: never another site (an open redirect) nor a path that climbs out. */
    static String safeNext(String next) {
        if (next == null || next.length() > 2000 || !next.matches("/console(/[A-Za-z0-9._~%/-]*)?(\\?[A-Za-z0-9._~%&=+-]*)?")
                || next.contains("..") || next.toLowerCase(java.util.Locale.ROOT).contains("%2e") || next.contains("//")
                || next.startsWith("/console/sign-")) {
            return "/console";
        }
        return next;
    }
}
