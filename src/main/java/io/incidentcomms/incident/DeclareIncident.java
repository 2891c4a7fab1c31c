package io.incidentcomms.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.MessageParts.OptionInput;
import io.incidentcomms.incident.Scopes.ValidScope;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Declares a disruption; its first update is built from the message parts given here. The title,
 * like every ops text, is a plain string (the default locale) or a locale → text object.
 */
public record DeclareIncident(
        @NotNull LocalizedText title,
        @NotNull IncidentKind kind,
        @NotNull Severity severity,
        @NotEmpty @Size(max = 100) List<@ValidScope String> scopes,
        @Size(max = 1000) List<@NotBlank @Size(max = 200) String> recipients,
        @Valid Owner owner,
        Instant startedAt,
        Instant expectedEndAt,
        @NotEmpty Map<String, @NotBlank @Size(max = 4000) String> explain,
        Map<String, @NotBlank @Size(max = 320) String> explainSms,
        String defaultLocale,
        LocalizedText acknowledge,
        @Size(max = 10) List<@Valid OptionInput> options,
        LocalizedText confirm,
        LocalizedText goodwill,
        Instant nextUpdateBy,
        Boolean notifyCustomers,
        Boolean draft,
        @Size(max = 100) Map<@ValidScope String, @NotNull ComponentStatus> componentStatuses)
        implements MessageParts.Input {

    /** Who must post updates: a name and at least one way to reach them. */
    public record Owner(
            @NotBlank @Size(max = 200) String name,
            @Email @Size(max = 320) String email,
            @Pattern(regexp = "\\+[1-9][0-9]{6,14}", message = "must be an E.164 number such as +441234567890") String phone) {

        @com.fasterxml.jackson.annotation.JsonIgnore
        @org.eclipse.microprofile.openapi.annotations.media.Schema(hidden = true)
        @AssertTrue(message = "needs an email or a phone")
        public boolean isReachable() {
            return (email != null && !email.isBlank()) || (phone != null && !phone.isBlank());
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @org.eclipse.microprofile.openapi.annotations.media.Schema(hidden = true)
    @AssertTrue(message = "planned maintenance needs startedAt, the planned start")
    public boolean isPlannedStartGiven() {
        return kind != IncidentKind.MAINTENANCE || startedAt != null;
    }
}
