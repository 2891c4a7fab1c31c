package io.incidentcomms.statuspage.manage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.incidentcomms.statuspage.StatuspageFormat;

/** An incident as Atlassian Statuspage's API answers it: the fields its clients read, in its names. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({ "id", "name", "status", "impact", "impact_override", "created_at", "updated_at" })
public record StatuspageIncident(String id, String name, String status, String impact, String impactOverride,
        Instant createdAt, Instant updatedAt, Instant startedAt, Instant monitoringAt, Instant resolvedAt,
        String shortlink, String pageId, List<StatuspageFormat.IncidentUpdate> incidentUpdates,
        List<StatuspageFormat.Component> components, Instant scheduledFor, Instant scheduledUntil,
        boolean scheduledRemindPrior, Instant scheduledRemindedAt, boolean scheduledAutoInProgress,
        boolean scheduledAutoCompleted, boolean autoTransitionToMaintenanceState,
        boolean autoTransitionToOperationalState, boolean autoTransitionDeliverNotificationsAtStart,
        boolean autoTransitionDeliverNotificationsAtEnd, Map<String, Object> metadata, String postmortemBody,
        Instant postmortemBodyLastUpdatedAt, boolean postmortemIgnored, boolean postmortemNotifiedSubscribers,
        boolean postmortemNotifiedTwitter, Instant postmortemPublishedAt) {

    /**
     * What we do for planned work, in Statuspage's flags: advance notices and the start are sent
     * by the cadence, component statuses follow the open incidents (so maintenance shows while it
     * runs and ends with it), and completing is ops' word.
     */
    static StatuspageIncident of(String id, String name, String status, String impact, Instant createdAt,
            Instant updatedAt, Instant startedAt, Instant monitoringAt, Instant resolvedAt, String shortlink,
            String pageId, List<StatuspageFormat.IncidentUpdate> updates, List<StatuspageFormat.Component> components,
            boolean planned, Instant scheduledFor, Instant scheduledUntil, Map<String, Object> metadata) {
        return new StatuspageIncident(id, name, status, impact, null, createdAt, updatedAt, startedAt, monitoringAt,
                resolvedAt, shortlink, pageId, updates, components, scheduledFor, scheduledUntil, planned, null,
                planned, false, planned, planned, planned, planned, metadata, null, null, true, false, false, null);
    }
}
