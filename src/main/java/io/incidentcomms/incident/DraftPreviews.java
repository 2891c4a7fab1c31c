package io.incidentcomms.incident;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What a declaration or an update that is still being written would make, for the console's live
 * preview: the draft is written exactly as saving it would, read back with its review and message
 * content, and the transaction is rolled back. So the preview can never differ from what "Review"
 * saves, and nothing of it stays. A declaration is previewed under the key it would get if saved
 * now, without taking the number; two previews at once wait for each other's rollback on that key.
 */
@ApplicationScoped
public class DraftPreviews {

    /** A draft as it would be saved, with its review, and the content its messages are rendered from. */
    public record DraftPreview(IncidentView incident, UpdateView update, IncidentQueries.MessageSource source) {
    }

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final java.time.Clock clock;

    DraftPreviews(IncidentService incidents, IncidentQueries queries, java.time.Clock clock) {
        this.incidents = incidents;
        this.queries = queries;
        this.clock = clock;
    }

    @Transactional
    public DraftPreview declaration(DeclareIncident cmd, Actor actor, String source) {
        try {
            String key = incidents.peekNextKey(clock.instant());
            IncidentView view = incidents.declare(asDraft(cmd), actor, source, null, key);
            IncidentQueries.MessageSource content = queries.messageSource(key, 1);
            return new DraftPreview(view, view.timeline().isEmpty() ? null : view.timeline().get(0), content);
        } finally {
            rollBack();
        }
    }

    @Transactional
    public DraftPreview update(String key, PostUpdate cmd, Actor actor) {
        try {
            UpdateView update = incidents.postUpdate(key, asDraft(cmd), actor);
            IncidentQueries.MessageSource content = queries.messageSource(key, update.seq());
            return new DraftPreview(queries.get(key, true), update, content);
        } finally {
            rollBack();
        }
    }

    /**
     * Marks the transaction for rollback only at the end: Hibernate delays identity inserts in a
     * transaction already marked, and the draft's rows must be written for the review to read them.
     */
    private static void rollBack() {
        QuarkusTransaction.setRollbackOnly();
    }

    static DeclareIncident asDraft(DeclareIncident c) {
        return new DeclareIncident(c.title(), c.kind(), c.severity(), c.scopes(), c.recipients(), c.owner(), c.startedAt(),
                c.expectedEndAt(), c.explain(), c.explainSms(), c.defaultLocale(), c.acknowledge(), c.options(),
                c.confirm(), c.goodwill(), c.nextUpdateBy(), c.notifyCustomers(), true, c.componentStatuses());
    }

    static PostUpdate asDraft(PostUpdate c) {
        return new PostUpdate(c.state(), c.severity(), c.scopes(), c.explain(), c.explainSms(), c.defaultLocale(),
                c.acknowledge(), c.options(), c.confirm(), c.goodwill(), c.nextUpdateBy(), c.notifyCustomers(), true,
                c.startsAt(), c.endsAt(), c.componentStatuses());
    }
}
