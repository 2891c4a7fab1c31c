package io.incidentcomms.incident.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Webhook sources, each named in the URL ({@code POST /api/hooks/{name}}), with its format and the
 * authentication that format's sender can do.
 */
@ConfigMapping(prefix = "comms.ingest")
public interface IngestConfig {

    Map<String, Source> sources();

    /** A firing alert or reopened ticket within this time after resolution continues the same incident. */
    @WithDefault("15m")
    Duration flapWindow();

    enum Format {
        GENERIC, ALERTMANAGER, PAGERDUTY
    }

    interface Source {
        Format format();

        /** HMAC secrets (generic, PagerDuty); more than one while a secret is being rotated. */
        Optional<List<String>> secrets();

        /** Bearer token (Alertmanager, which cannot sign). */
        Optional<String> token();

        /** Generic format: how far the signed timestamp may be from our clock. */
        @WithDefault("5m")
        Duration timestampTolerance();

        /** Alertmanager: label name → scope kind, e.g. {@code region=region}, {@code service=component}. */
        Map<String, String> scopeLabels();

        /** Alertmanager: value of the {@code severity} label → our severity. */
        Map<String, String> severities();

        /** PagerDuty: service id → scope. Unlisted services become {@code component:<service name>}. */
        Map<String, String> serviceScopes();
    }
}
