package io.incidentcomms.incident.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Scopes;
import io.incidentcomms.incident.Severity;

/**
 * Prometheus Alertmanager webhooks: one incident per alert fingerprint. An alert's event identity
 * is fingerprint + status + startsAt, so the re-send every {@code repeat_interval} is a duplicate,
 * while a re-fire (new startsAt) is news.
 */
final class AlertmanagerAdapter {

    private static final Map<String, String> DEFAULT_SCOPE_LABELS = Map.of("service", "component", "component",
            "component", "region", "region", "location", "location", "account", "account");
    private static final Map<String, String> DEFAULT_SEVERITIES = Map.of("critical", "critical", "page", "critical",
            "error", "major", "warning", "major", "info", "minor");

    private AlertmanagerAdapter() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Payload(String version, String status, String groupKey, List<Alert> alerts) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
            String endsAt, String fingerprint, String generatorURL) {
    }

    static List<Intake> intakes(Payload payload, IngestConfig.Source source) {
        List<Intake> intakes = new ArrayList<>();
        if (payload.alerts() == null) {
            return intakes;
        }
        for (Alert alert : payload.alerts()) {
            if (alert == null || alert.fingerprint() == null || alert.fingerprint().isBlank()) {
                continue;
            }
            Map<String, String> labels = alert.labels() == null ? Map.of() : alert.labels();
            Map<String, String> annotations = alert.annotations() == null ? Map.of() : alert.annotations();
            String eventKey = alert.fingerprint() + "|" + alert.status() + "|" + alert.startsAt();
            boolean resolved = "resolved".equalsIgnoreCase(alert.status());
            String alertName = given(labels, "alertname", "alert");
            String title = given(annotations, "summary", alertName);
            String text = given(annotations, "description", title);
            Map<String, String> explain = Map.of("en", resolved ? "Resolved: " + title : text);
            Severity severity = severity(labels.get("severity"), source);
            List<String> scopes = scopes(labels, source);
            PostUpdate update = resolved ? PostUpdate.stateChange(null, explain, true)
                    : new PostUpdate(null, severity, scopes, explain, null, "en", null, null, null, null, null, true, false,
                            null, null, null);
            intakes.add(new Intake(eventKey, alert.fingerprint(),
                    resolved ? Intake.Intent.RESOLVE : Intake.Intent.OPEN,
                    () -> new DeclareIncident(LocalizedText.of(truncate(title, 200)), IncidentKind.OUTAGE, severity,
                            scopes, null, null, IngestionService.parseInstant(alert.startsAt()), null, explain, null, "en",
                            null, null, null, null, null, true, false, null),
                    update));
        }
        return intakes;
    }

    private static Severity severity(String label, IngestConfig.Source source) {
        Map<String, String> mapping = source.severities().isEmpty() ? DEFAULT_SEVERITIES : source.severities();
        String mapped = label == null ? null : mapping.get(label.toLowerCase());
        return mapped == null ? Severity.MAJOR : Severity.valueOf(mapped.toUpperCase());
    }

    private static List<String> scopes(Map<String, String> labels, IngestConfig.Source source) {
        Map<String, String> rules = source.scopeLabels().isEmpty() ? DEFAULT_SCOPE_LABELS : source.scopeLabels();
        Map<String, Boolean> scopes = new LinkedHashMap<>();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(label -> {
            String kind = rules.get(label.getKey());
            if (kind != null && label.getValue() != null && !label.getValue().isBlank()) {
                scopes.put(Scopes.scope(kind, Scopes.slug(label.getValue())), true);
            }
        });
        if (scopes.isEmpty()) {
            scopes.put(Scopes.scope("component", Scopes.slug(given(labels, "alertname", "unknown"))), true);
        }
        return new ArrayList<>(scopes.keySet());
    }

    /** A label's or annotation's value, unless it is missing, null or blank. */
    private static String given(Map<String, String> values, String name, String otherwise) {
        String value = values.get(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
