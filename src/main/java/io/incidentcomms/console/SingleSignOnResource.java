package io.incidentcomms.console;

import java.net.URI;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestQuery;

import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleConfig;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.console.signin.SingleSignOn;
import io.quarkus.oidc.OidcSession;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Signing in through the organisation's identity provider: the browser goes there, comes back with
 * the provider's word for who it is, and leaves with a console session like a password sign-in's.
 */
@Path(SingleSignOn.PATH)
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SingleSignOnResource {

    private final SingleSignOn singleSignOn;
    private final ConsoleUsers users;
    private final ConsoleConfig config;
    private final ConsolePages pages;
    private final SecurityIdentity identity;
    private final OidcSession providerSession;
    private final RoutingContext routing;

    SingleSignOnResource(SingleSignOn singleSignOn, ConsoleUsers users, ConsoleConfig config, ConsolePages pages,
            SecurityIdentity identity, OidcSession providerSession, RoutingContext routing) {
        this.routing = routing;
        this.singleSignOn = singleSignOn;
        this.users = users;
        this.config = config;
        this.pages = pages;
        this.identity = identity;
        this.providerSession = providerSession;
    }

    @GET
    @Allowed(anonymous = true)
    public Response signIn(@RestQuery String next) {
        if (!singleSignOn.enabled()) {
            return pages.refusal(404, "No single sign-on",
                    "Single sign-on is not set up for this console. Sign in with your username and password.");
        }
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return sendToProvider();
        }
        ConsoleUsers.SignIn result = users.signInThroughProvider(singleSignOn.usernameOf(token), singleSignOn.roleOf(token));
        // From here the console's own session rules (idle time, CSRF token, sign-out) apply, not the provider's cookie
        providerSession.logout().await().indefinitely();
        if (result instanceof ConsoleUsers.SignIn.SignedIn signedIn) {
            return Response.seeOther(URI.create(SignInResource.safeNext(next)))
                    .cookie(SignInResource.sessionCookie(config, signedIn.token(), config.sessionMaxAge())).build();
        }
        String why = result instanceof ConsoleUsers.SignIn.Refused refused ? refused.why() : "";
        return pages.refusal(403, "Not let in", why + " Ask a console admin.");
    }

    /**
     * Quarkus OIDC's challenge: the redirect to the provider, its state cookie already set. (Throwing
     * UnauthorizedException would reach the API's problem mapper and answer 401 instead.)
     */
    private Response sendToProvider() {
        HttpAuthenticator authenticator = routing.get(HttpAuthenticator.class.getName());
        ChallengeData challenge = authenticator.getChallenge(routing).await().indefinitely();
        Response.ResponseBuilder response = Response.status(challenge.status);
        challenge.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
        return response.build();
    }
}
