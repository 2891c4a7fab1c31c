package io.incidentcomms.message;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "comms.messages")
public interface MessageConfig {

    /**
     * Folder with the message templates (the top-level {@code templates/} layout; a mounted
     * ConfigMap in Kubernetes). Without it, the set packaged in the jar is used.
     */
    Optional<String> templatesDir();

    /** How often the folder is checked for changed files. */
    @WithDefault("2s")
    Duration reloadCheckInterval();

    /** Locales the template set provides; a recipient in another gets the update's default locale. */
    @WithDefault("en,de,fr")
    List<String> locales();

    /** Starts every SMS and signs every email. */
    @WithDefault("Status")
    String brand();

    /** The logo at the top of every email (an absolute https URL); none: the brand name in text. */
    Optional<String> logoUrl();

    /** The accent colour of emails and pages (buttons, the heading bar), as {@code #rrggbb}. */
    @WithDefault("#1d4ed8")
    @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a colour such as #1d4ed8")
    String accentColor();

    /**
     * Where SMS short links point, without the scheme when the host serves HTTPS (phones open
     * {@code status.example.com/m/Ab3dE5gH}); it must keep a link within 30 characters. Default:
     * the public base URL without its scheme.
     */
    Optional<String> shortLinkBase();

    /**
     * Segments an SMS may take before it is shortened. Three (459 GSM-7 characters) fit the four
     * parts with two options, the link and the opt-out line for an explanation of ~150 characters;
     * with two, most messages with options are shortened.
     */
    @WithDefault("3")
    int smsMaxSegments();

    /** Where links in messages point (the service as the public reaches it). */
    @WithDefault("http://localhost:8080")
    String publicBaseUrl();

    /** Words that put blame on someone, flagged in ops text (warnings, not errors). */
    @WithDefault("your fault,you failed,user error,the vendor failed,vendor's fault,supplier's fault,their fault,human error")
    List<String> blameWords();
}
