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
        GENERIC, ALERTMANAGER, PAGERDUTY, GRAFANA, DATADOG
    }

    interface Source {
        Format format();

        /** HMAC secrets (generic, PagerDuty, Grafana 12+); more than one while a secret is being rotated. */
        Optional<List<String>> secrets();

        /** Bearer token (Alertmanager and Datadog, which cannot sign; Grafana without a secret). */
        Optional<String> token();

        /** Grafana: the header its HMAC signature comes in (the contact point's {@code hmacConfig.header}). */
        @WithDefault("X-Grafana-Alerting-Signature")
        String signatureHeader();

        /**
         * Grafana: the header with the signed timestamp, when the contact point sets one
         * ({@code hmacConfig.timestampHeader}); it is then signed as {@code timestamp:body} and must be fresh.
         */
        Optional<String> timestampHeader();

        /** Generic format and Grafana: how far the signed timestamp may be from our clock. */
        @WithDefault("5m")
        Duration timestampTolerance();

        /** Alertmanager, Grafana (labels) and Datadog (tags): name → scope kind, e.g. {@code region=region}, {@code service=component}. */
        Map<String, String> scopeLabels();

        /** Alertmanager, Grafana, Datadog: value of the {@code severity} label or tag → our severity. */
        Map<String, String> severities();

        /** PagerDuty: service id → scope. Unlisted services become {@code component:<service name>}. */
        Map<String, String> serviceScopes();
    }
}
