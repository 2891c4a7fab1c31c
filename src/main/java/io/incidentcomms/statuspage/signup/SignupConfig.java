package io.incidentcomms.statuspage.signup;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Signing up from the status page, and the limits that keep it from being abused without a
 * CAPTCHA. The per-client limit follows Statuspage's (10 SMS sign-ups per IP per 4 hours).
 */
@ConfigMapping(prefix = "comms.signup")
public interface SignupConfig {

    @WithDefault("true")
    boolean enabled();

    /** SMS sign-ups one client (IP address) may start in {@link #smsPerClientWindow()}. */
    @WithDefault("10")
    int smsPerClient();

    @WithDefault("4h")
    Duration smsPerClientWindow();

    /** Sign-ups (and manage-your-subscription emails) one email address may get in {@link #perAddressWindow()}. */
    @WithDefault("3")
    int perAddress();

    /** Sign-ups (and code SMS) one number may get in {@link #perAddressWindow()}. */
    @WithDefault("3")
    int perNumber();

    @WithDefault("1h")
    Duration perAddressWindow();

    /** Verification SMS the service sends in an hour, all sign-ups together (a cap on what abuse can cost). */
    @WithDefault("200")
    int verificationSmsPerHour();

    /** Countries (ISO codes) whose numbers may sign up for SMS. */
    @WithDefault("GB,IE,DE,AT,CH,FR,BE,NL,LU,US,CA")
    List<String> smsCountries();

    @WithDefault("10m")
    Duration codeLifetime();

    @WithDefault("5")
    int codeTries();

    /** How long a confirmation link works (and a sign-up waits for it). */
    @WithDefault("24h")
    Duration confirmationLifetime();
}
