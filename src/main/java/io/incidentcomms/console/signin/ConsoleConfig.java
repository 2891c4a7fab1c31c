package io.incidentcomms.console.signin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.console")
public interface ConsoleConfig {

    /**
     * The first admin, created at start when the console has no user yet
     * ({@code COMMS_CONSOLE_ADMIN_USERNAME}, {@code COMMS_CONSOLE_ADMIN_PASSWORD}).
     */
    Admin admin();

    /** The session cookie is sent over HTTPS only; off only for runs on a developer's machine. */
    @WithDefault("true")
    boolean secureCookie();

    /** A session not used for this long is signed out. */
    @WithDefault("8h")
    Duration sessionIdle();

    /** A session ends this long after sign-in, used or not. */
    @WithDefault("24h")
    Duration sessionMaxAge();

    SignIn signIn();

    /** Single sign-on through an OpenID Connect provider, off unless {@code issuer} is set. */
    Oidc oidc();

    interface Admin {
        @WithDefault("admin")
        String username();

        Optional<String> password();
    }

    interface SignIn {
        /** Wrong passwords for one account within {@link #window()} before it is throttled. */
        @WithDefault("5")
        int accountFailures();

        /** Wrong passwords from one client address within {@link #window()} before it is throttled. */
        @WithDefault("20")
        int clientFailures();

        @WithDefault("15m")
        Duration window();
    }

    interface Oidc {
        /** The provider's issuer URL (its discovery document lives under it); single sign-on is off without it. */
        Optional<String> issuer();

        @WithDefault("incident-comms-console")
        String clientId();

        Optional<String> clientSecret();

        /** The provider's name on the sign-in page's button. */
        @WithDefault("single sign-on")
        String providerName();

        /** The ID token claim that names the user in the console and the audit log. */
        @WithDefault("preferred_username")
        String usernameClaim();

        /** The ID token claim (a dotted path for nested ones, e.g. realm_access.roles) holding the user's groups. */
        @WithDefault("groups")
        String roleClaim();

        /** Values of the role claim that make someone a console admin, ops or viewer; the highest one wins. */
        Roles roles();

        interface Roles {
            Optional<List<String>> admin();

            Optional<List<String>> ops();

            Optional<List<String>> viewer();
        }
    }
}
