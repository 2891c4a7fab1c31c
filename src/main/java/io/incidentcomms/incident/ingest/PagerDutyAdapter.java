package io.incidentcomms.incident.ingest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Scopes;
import io.incidentcomms.incident.Severity;

/**
 * PagerDuty v3 webhooks. The event id is the event's identity; the PagerDuty incident id names our
 * incident. Triggered declares, resolved resolves, reopened reopens; acknowledged and annotated
 * become internal notes (customers do not need to hear that someone picked up a page).
 */
final class PagerDutyAdapter {

    private PagerDutyAdapter() {
    }

    /** Null when the event type is of no interest here. */
    static Intake intake(JsonNode body, IngestConfig.Source source) {
        JsonNode event = body.path("event");
        String eventId = text(event, "id");
        String type = text(event, "event_type");
        JsonNode data = event.path("data");
        if (eventId == null || type == null || data.isMissingNode()) {
            throw new IllegalArgumentException("not a PagerDuty v3 webhook: event.id, event.event_type and event.data are required");
        }
        String agent = text(event.path("agent"), "summary");
        return switch (type) {
            case "incident.triggered" -> {
                String incidentId = require(text(data, "id"), "event.data.id");
                String title = require(text(data, "title"), "event.data.title");
                Map<String, String> explain = Map.of("en", title);
                List<String> scopes = List.of(scope(data.path("service"), source));
                Severity severity = severity(data);
                yield new Intake(eventId, incidentId, Intake.Intent.OPEN,
                        () -> new DeclareIncident(LocalizedText.of(title.length() > 200 ? title.substring(0, 200) : title),
                                IncidentKind.OUTAGE, severity, scopes, null, null,
                                IngestionService.parseInstant(text(data, "created_at")), null, explain, null, "en", null,
                                null, null, null, null, true, false, null),
                        null);
            }
            // a reopened incident has nothing to declare one from: it reopens the one it was, however long ago
            case "incident.reopened" -> new Intake(eventId, require(text(data, "id"), "event.data.id"),
                    Intake.Intent.OPEN, null, PostUpdate.stateChange(IncidentState.INVESTIGATING, null, true));
            case "incident.resolved" -> new Intake(eventId, require(text(data, "id"), "event.data.id"),
                    Intake.Intent.RESOLVE, null, null);
            case "incident.acknowledged" -> new Intake(eventId, require(text(data, "id"), "event.data.id"),
                    Intake.Intent.NOTE, null,
                    PostUpdate.note(Map.of("en", "Acknowledged in PagerDuty" + (agent == null ? "" : " by " + agent))));
            case "incident.annotated" -> {
                String incidentId = require(text(data.path("incident"), "id"), "event.data.incident.id");
                String content = text(data, "content");
                yield new Intake(eventId, incidentId, Intake.Intent.NOTE, null,
                        PostUpdate.note(Map.of("en", content == null || content.isBlank() ? "(empty note)" : content)));
            }
            default -> null;
        };
    }

    private static String scope(JsonNode service, IngestConfig.Source source) {
        String serviceId = text(service, "id");
        if (serviceId != null && source.serviceScopes().containsKey(serviceId)) {
            return source.serviceScopes().get(serviceId);
        }
        String name = text(service, "summary");
        return Scopes.scope("component", Scopes.slug(name == null ? (serviceId == null ? "unknown" : serviceId) : name));
    }

    private static Severity severity(JsonNode data) {
        String priority = text(data.path("priority"), "summary");
        if ("P1".equalsIgnoreCase(priority)) {
            return Severity.CRITICAL;
        }
        if ("P2".equalsIgnoreCase(priority)) {
            return Severity.MAJOR;
        }
        return "low".equalsIgnoreCase(text(data, "urgency")) ? Severity.MINOR : Severity.MAJOR;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
