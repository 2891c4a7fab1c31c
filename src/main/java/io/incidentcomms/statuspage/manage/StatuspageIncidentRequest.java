package io.incidentcomms.statuspage.manage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A create or update request of Atlassian Statuspage's API, {@code {"incident": {...}}}, field for
 * field. Fields Statuspage has and we have no use for (tweets, postmortems, backfills) are
 * accepted and ignored, so a client written for Statuspage works unchanged.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatuspageIncidentRequest(@Valid @NotNull Fields incident) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(
            @Size(max = 255) String name,
            String status,
            String impactOverride,
            @Size(max = 25000) String body,
            @Size(max = 100) Map<String, String> components,
            @Size(max = 100) List<String> componentIds,
            Boolean deliverNotifications,
            Instant scheduledFor,
            Instant scheduledUntil,
            Boolean scheduledRemindPrior,
            Boolean scheduledAutoInProgress,
            Boolean scheduledAutoCompleted,
            Boolean scheduledAutoTransition,
            Boolean autoTransitionToMaintenanceState,
            Boolean autoTransitionToOperationalState,
            Boolean autoTransitionDeliverNotificationsAtStart,
            Boolean autoTransitionDeliverNotificationsAtEnd,
            Map<String, Object> metadata) {
    }
}
