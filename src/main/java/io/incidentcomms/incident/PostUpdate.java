package io.incidentcomms.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.MessageParts.OptionInput;
import io.incidentcomms.incident.Scopes.ValidScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A new timeline entry: text and/or a change of state, severity or scopes; for planned work not
 * yet started, a new start ({@code startsAt}) or end ({@code endsAt}) reschedules it. Without
 * {@code options} the incident's open options stay (and are said again); {@code []} withdraws them.
 */
public record PostUpdate(
        IncidentState state,
        Severity severity,
        @Size(min = 1, max = 100) List<@ValidScope String> scopes,
        Map<String, @NotBlank @Size(max = 4000) String> explain,
        Map<String, @NotBlank @Size(max = 320) String> explainSms,
        String defaultLocale,
        LocalizedText acknowledge,
        @Size(max = 10) List<@Valid OptionInput> options,
        LocalizedText confirm,
        LocalizedText goodwill,
        Instant nextUpdateBy,
        Boolean notifyCustomers,
        Boolean draft,
        Instant startsAt,
        Instant endsAt,
        @Size(max = 100) Map<@ValidScope String, @jakarta.validation.constraints.NotNull ComponentStatus> componentStatuses)
        implements MessageParts.Input {

    @com.fasterxml.jackson.annotation.JsonIgnore
    @org.eclipse.microprofile.openapi.annotations.media.Schema(hidden = true)
    @AssertTrue(message = "an update needs explain text or a change of state, severity or scopes")
    public boolean isMeaningful() {
        return (explain != null && !explain.isEmpty()) || state != null || severity != null || scopes != null
                || startsAt != null || endsAt != null || (componentStatuses != null && !componentStatuses.isEmpty());
    }

    public static PostUpdate stateChange(IncidentState state, Map<String, String> explain, boolean notify) {
        return new PostUpdate(state, null, null, explain, null, null, null, null, null, null, null, notify, false, null,
                null, null);
    }

    public static PostUpdate note(Map<String, String> explain) {
        return new PostUpdate(null, null, null, explain, null, null, null, null, null, null, null, false, false, null,
                null, null);
    }
}
