package io.incidentcomms.incident.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageParts.OptionInput;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Scopes.ValidScope;
import io.incidentcomms.incident.Severity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The documented generic event, for monitoring and ticketing systems (webhook), the bus
 * ({@code disruption-events}) and {@code POST /api/events}. The first event for an
 * {@code externalId} declares the incident; later ones update it; {@code state: "resolved"}
 * resolves it.
 */
public record GenericEvent(
        @NotBlank @Size(max = 200) String eventId,
        @NotBlank @Size(max = 200) String externalId,
        IncidentState state,
        LocalizedText title,
        IncidentKind kind,
        Severity severity,
        @Size(min = 1, max = 100) List<@ValidScope String> scopes,
        List<String> recipients,
        @Valid DeclareIncident.Owner owner,
        Instant startedAt,
        Instant expectedEndAt,
        Map<String, @NotBlank String> explain,
        Map<String, @NotBlank String> explainSms,
        String defaultLocale,
        LocalizedText acknowledge,
        List<@Valid OptionInput> options,
        LocalizedText confirm,
        LocalizedText goodwill,
        Instant nextUpdateBy,
        Boolean notifyCustomers) {

    Intake toIntake() {
        boolean finishing = state == IncidentState.RESOLVED || state == IncidentState.COMPLETED;
        boolean hasNews = (explain != null && !explain.isEmpty()) || state != null || severity != null
                || scopes != null;
        PostUpdate update = hasNews
                ? new PostUpdate(finishing ? null : state, severity, scopes, explain, explainSms, defaultLocale,
                        acknowledge, options, confirm, goodwill, nextUpdateBy, notifyCustomers, false, null, null, null)
                : null;
        return new Intake(eventId, externalId, finishing ? Intake.Intent.RESOLVE : Intake.Intent.OPEN,
                this::declaration, update);
    }

    private DeclareIncident declaration() {
        return new DeclareIncident(title, kind, severity, scopes, recipients, owner, startedAt, expectedEndAt,
                explain, explainSms, defaultLocale, acknowledge, options, confirm, goodwill, nextUpdateBy, notifyCustomers,
                false, null);
    }
}
