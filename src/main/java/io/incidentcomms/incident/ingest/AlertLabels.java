package io.incidentcomms.incident.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.Scopes;
import io.incidentcomms.incident.Severity;

/**
 * What an alert's labels (Alertmanager, Grafana) or tags (Datadog) say about where it hurts and how
 * much: scopes by the source's {@code scope-labels}, severity by its {@code severities}, each with
 * the same defaults for every alerting tool.
 */
final class AlertLabels {

    static final Map<String, String> DEFAULT_SCOPE_LABELS = Map.of("service", "component", "component", "component",
            "region", "region", "location", "location", "account", "account");
    static final Map<String, String> DEFAULT_SEVERITIES = Map.of("critical", "critical", "page", "critical",
            "error", "major", "warning", "major", "info", "minor");

    private AlertLabels() {
    }

    /** The severity a label value names; major when it names none we know. */
    static Severity severity(String value, IngestConfig.Source source) {
        Map<String, String> mapping = source.severities().isEmpty() ? DEFAULT_SEVERITIES : source.severities();
        String mapped = value == null ? null : mapping.get(value.toLowerCase());
        return mapped == null ? Severity.MAJOR : Severity.valueOf(mapped.toUpperCase());
    }

    /** The scopes the labels name, in label order; {@code component:<fallback>} when none does. */
    static List<String> scopes(Map<String, String> labels, IngestConfig.Source source, String fallback) {
        Map<String, String> rules = source.scopeLabels().isEmpty() ? DEFAULT_SCOPE_LABELS : source.scopeLabels();
        Map<String, Boolean> scopes = new LinkedHashMap<>();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(label -> {
            String kind = rules.get(label.getKey());
            if (kind != null && label.getValue() != null && !label.getValue().isBlank()) {
                scopes.put(Scopes.scope(kind, Scopes.slug(label.getValue())), true);
            }
        });
        if (scopes.isEmpty()) {
            scopes.put(Scopes.scope("component", Scopes.slug(fallback == null ? "unknown" : fallback)), true);
        }
        return new ArrayList<>(scopes.keySet());
    }

    /** A value, unless it is missing, null or blank. */
    static String given(Map<String, String> values, String name, String otherwise) {
        String value = values.get(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
