package io.incidentcomms.console.signin;

import java.time.Duration;
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
}
