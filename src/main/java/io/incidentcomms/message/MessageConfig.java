package io.incidentcomms.message;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
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

    /** Locales the template set provides; others fall back to the first. */
    @WithDefault("en,de")
    List<String> locales();

    /** Starts every SMS and signs every email. */
    @WithDefault("Status")
    String brand();

    @WithDefault("2")
    int smsMaxSegments();

    /** Where links in messages point (the service as the public reaches it). */
    @WithDefault("http://localhost:8080")
    String publicBaseUrl();

    /** Words that put blame on someone, flagged in ops text (warnings, not errors). */
    @WithDefault("your fault,you failed,user error,the vendor failed,vendor's fault,supplier's fault,their fault,human error")
    List<String> blameWords();
}
