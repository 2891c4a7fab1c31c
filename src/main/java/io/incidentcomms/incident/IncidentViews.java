package io.incidentcomms.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.incidentcomms.message.MessageReview;

/** What the API returns. Public readers get the customer-facing subset only. */
public final class IncidentViews {

    private IncidentViews() {
    }

    /**
     * An incident. {@code options} are those open now; {@code review} (in answers to declaring) says
     * how the messages come out for each language and channel, and {@code warnings} sums it up.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IncidentView(String key, String title, Map<String, String> titles, IncidentKind kind,
            Severity severity, IncidentState state, List<String> scopes, List<MessageOption> options, Instant startedAt,
            Instant expectedEndAt, Instant resolvedAt, Instant nextUpdateBy, Instant updatedAt, List<String> recipients,
            OwnerView owner, String source, String externalId, Boolean paused, List<UpdateView> timeline,
            List<String> warnings, MessageReview.Review review) {

        IncidentView withReview(MessageReview.Review review) {
            return new IncidentView(key, title, titles, kind, severity, state, scopes, options, startedAt, expectedEndAt,
                    resolvedAt, nextUpdateBy, updatedAt, recipients, owner, source, externalId, paused, timeline,
                    review == null || review.warnings().isEmpty() ? null : review.warnings(), review);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerView(String name, String email, String phone) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpdateView(int seq, UpdateStatus status, MessageKind messageKind, IncidentState stateFrom,
            IncidentState stateTo, Severity severity, List<String> scopes, Map<String, String> explain,
            Map<String, String> explainSms, String defaultLocale, Map<String, String> acknowledge,
            List<MessageOption> options, Map<String, String> confirm, Map<String, String> goodwill,
            Instant nextUpdateBy, Boolean notifyCustomers, String author, String source, Instant createdAt,
            Instant publishedAt, String templateVersion, List<String> warnings, MessageReview.Review review) {

        UpdateView withReview(MessageReview.Review review) {
            return new UpdateView(seq, status, messageKind, stateFrom, stateTo, severity, scopes, explain, explainSms,
                    defaultLocale, acknowledge, options, confirm, goodwill, nextUpdateBy, notifyCustomers, author, source,
                    createdAt, publishedAt, templateVersion,
                    review == null || review.warnings().isEmpty() ? null : review.warnings(), review);
        }
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    static IncidentView of(Incident i, boolean internal, List<UpdateView> timeline) {
        return new IncidentView(i.key, i.title, Map.copyOf(i.titles), i.kind, i.severity, i.state, List.copyOf(i.scopes),
                List.copyOf(i.options), i.startedAt, i.expectedEndAt, i.resolvedAt, i.nextUpdateBy, i.updatedAt,
                internal ? List.copyOf(i.recipients) : null,
                internal && i.ownerName != null ? new OwnerView(i.ownerName, i.ownerEmail, i.ownerPhone) : null,
                internal ? i.source : null, internal ? i.externalId : null, internal ? i.paused : null, timeline, null,
                null);
    }

    static UpdateView of(IncidentUpdate u, boolean internal) {
        return new UpdateView(u.seq, internal ? u.status : null, u.messageKind, u.stateFrom, u.stateTo, u.severity,
                u.scopes, u.explain, internal ? u.explainSms : null, u.defaultLocale, u.acknowledge, u.options, u.confirm,
                u.goodwill, u.nextUpdateBy, internal ? u.notify : null, internal ? u.author : null,
                internal ? u.source : null, u.createdAt, u.publishedAt, internal ? u.templateVersion : null, null, null);
    }
}
