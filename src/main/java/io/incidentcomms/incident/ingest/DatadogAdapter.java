package io.incidentcomms.incident.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Severity;

/**
 * Datadog monitor notifications through its Webhooks integration, with the payload template the
 * README gives (Datadog's default payload carries no alert id or transition). One incident per
 * monitor and group ({@code alert_id} and {@code alert_scope}); an event's identity is the group,
 * its alert cycle and the transition, so a redelivery or a renotification changes nothing while the
 * next cycle's trigger is news.
 */
final class DatadogAdapter {

    private DatadogAdapter() {
    }

    /** The disruptions a notification means: none for a renotification. */
    static List<Intake> intakes(JsonNode payload, IngestConfig.Source source) {
        String alertId = text(payload, "alert_id");
        String transition = text(payload, "alert_transition");
        if (alertId == null || transition == null) {
            throw new IllegalArgumentException("a Datadog notification needs alert_id and alert_transition"
                    + " (use the payload template of the README)");
        }
        String scope = text(payload, "alert_scope");
        String externalId = scope == null ? alertId : alertId + "|" + scope;
        String eventKey = externalId + "|" + text(payload, "alert_cycle_key") + "|" + transition;
        Map<String, String> tags = tags(text(payload, "tags"));
        String title = AlertLabels.truncate(title(payload), 200);
        String message = message(payload, title);
        return switch (transition.trim().toLowerCase(Locale.ROOT)) {
            case "triggered", "re-triggered", "warn", "re-warn" -> {
                Severity severity = severity(text(payload, "alert_priority"), tags, source);
                List<String> scopes = AlertLabels.scopes(tags, source, tags.getOrDefault("service", title));
                Map<String, String> explain = Map.of("en", message);
                Instant startedAt = startedAt(text(payload, "date"));
                yield List.of(new Intake(eventKey, externalId, Intake.Intent.OPEN,
                        () -> new DeclareIncident(LocalizedText.of(title), IncidentKind.OUTAGE, severity, scopes, null,
                                null, startedAt, null, explain, null, "en", null, null, null, null, null, true, false, null),
                        new PostUpdate(null, severity, scopes, explain, null, "en", null, null, null, null, null, true,
                                false, null, null, null)));
            }
            case "recovered" -> List.of(new Intake(eventKey, externalId, Intake.Intent.RESOLVE, null,
                    PostUpdate.stateChange(null, Map.of("en", "Resolved: " + title), true)));
            case "no data", "re-no data" -> List.of(new Intake(eventKey, externalId, Intake.Intent.NOTE, null,
                    PostUpdate.note(Map.of("en", "Datadog has no data for this monitor: " + title))));
            case "renotify" -> List.of();
            default -> throw new IllegalArgumentException("unknown Datadog alert_transition " + transition);
        };
    }

    /** {@code P1} is critical, {@code P2} major, {@code P3}–{@code P5} minor; without one, a {@code severity} tag decides. */
    private static Severity severity(String priority, Map<String, String> tags, IngestConfig.Source source) {
        if (priority != null) {
            switch (priority.trim().toUpperCase(Locale.ROOT)) {
                case "P1":
                    return Severity.CRITICAL;
                case "P2":
                    return Severity.MAJOR;
                case "P3", "P4", "P5":
                    return Severity.MINOR;
                default:
                    break;
            }
        }
        return AlertLabels.severity(tags.get("severity"), source);
    }

    /** Datadog's tags, {@code key:value} separated by commas; a bare tag has no value and names no scope. */
    static Map<String, String> tags(String tags) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (tags == null) {
            return parsed;
        }
        for (String tag : tags.split(",")) {
            int colon = tag.indexOf(':');
            if (colon > 0 && colon < tag.length() - 1) {
                parsed.putIfAbsent(tag.substring(0, colon).trim(), tag.substring(colon + 1).trim());
            }
        }
        return parsed;
    }

    /** The monitor's name, without Datadog's "[P1] [Triggered on {…}]" prefixes. */
    private static String title(JsonNode payload) {
        String title = text(payload, "alert_title");
        if (title == null) {
            title = text(payload, "event_title");
        }
        if (title == null) {
            return "Datadog alert " + text(payload, "alert_id");
        }
        String bare = title.replaceFirst("^(\\s*\\[[^\\]]*\\])+\\s*", "").trim();
        return bare.isEmpty() ? title.trim() : bare;
    }

    /** The monitor's message as text, without the {@code @webhook-…} mentions that routed it here. */
    private static String message(JsonNode payload, String title) {
        String message = text(payload, "message");
        if (message == null) {
            return title;
        }
        String text = message.replaceAll("@[\\w.-]+", "").replaceAll("[ \\t]+\\n", "\n").trim();
        return text.isEmpty() ? title : AlertLabels.truncate(text, 4000);
    }

    private static Instant startedAt(String epochMillis) {
        try {
            return epochMillis == null ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() || text.startsWith("$") ? null : text;
    }
}
