package io.incidentcomms.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the API returns. Public readers get the customer-facing subset only. */
public final class IncidentViews {

    private IncidentViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IncidentView(String key, String title, IncidentKind kind, Severity severity, IncidentState state,
            List<String> scopes, Instant startedAt, Instant expectedEndAt, Instant resolvedAt, Instant nextUpdateBy,
            Instant updatedAt, List<String> recipients, OwnerView owner, String source, String externalId,
            Boolean paused, List<UpdateView> timeline, List<String> warnings) {

        IncidentView withWarnings(List<String> warnings) {
            return new IncidentView(key, title, kind, severity, state, scopes, startedAt, expectedEndAt, resolvedAt,
                    nextUpdateBy, updatedAt, recipients, owner, source, externalId, paused, timeline,
                    warnings.isEmpty() ? null : warnings);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerView(String name, String email, String phone) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpdateView(int seq, UpdateStatus status, MessageKind messageKind, IncidentState stateFrom,
            IncidentState stateTo, Severity severity, List<String> scopes, Map<String, String> explain,
            String defaultLocale, String acknowledge, List<MessageOption> options, String confirm,
            Instant nextUpdateBy, Boolean notifyCustomers, String author, String source, Instant createdAt,
            Instant publishedAt, String templateVersion, List<String> warnings) {

        UpdateView withWarnings(List<String> warnings) {
            return new UpdateView(seq, status, messageKind, stateFrom, stateTo, severity, scopes, explain, defaultLocale,
                    acknowledge, options, confirm, nextUpdateBy, notifyCustomers, author, source, createdAt, publishedAt,
                    templateVersion, warnings.isEmpty() ? null : warnings);
        }
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    static IncidentView of(Incident i, boolean internal, List<UpdateView> timeline) {
        return new IncidentView(i.key, i.title, i.kind, i.severity, i.state, List.copyOf(i.scopes), i.startedAt,
                i.expectedEndAt, i.resolvedAt, i.nextUpdateBy, i.updatedAt,
                internal ? List.copyOf(i.recipients) : null,
                internal && i.ownerName != null ? new OwnerView(i.ownerName, i.ownerEmail, i.ownerPhone) : null,
                internal ? i.source : null, internal ? i.externalId : null, internal ? i.paused : null, timeline, null);
    }

    static UpdateView of(IncidentUpdate u, boolean internal) {
        return new UpdateView(u.seq, internal ? u.status : null, u.messageKind, u.stateFrom, u.stateTo, u.severity,
                u.scopes, u.explain, u.defaultLocale, u.acknowledge, u.options, u.confirm, u.nextUpdateBy,
                internal ? u.notify : null, internal ? u.author : null, internal ? u.source : null, u.createdAt,
                u.publishedAt, internal ? u.templateVersion : null, null);
    }
}
