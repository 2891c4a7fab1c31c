package io.incidentcomms.cadence;

import java.sql.Timestamp;
import java.time.Instant;

import io.incidentcomms.incident.IncidentConfig;
import io.incidentcomms.incident.PromisePolicy;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.UpdatePublished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Sets the cadence's deadlines whenever an update reaches customers, in the same transaction:
 * the promise it made (next update by) becomes a nudge to the owner ahead of it and a holding
 * update at it, or earlier by twice as long as reaching the whole audience takes; what an earlier update set is cancelled. Resolution sets the follow-up instead;
 * planned work not yet started gets its advance notices and its start.
 */
@ApplicationScoped
public class Deadlines {

    public enum Kind {
        NUDGE, HOLDING, FOLLOW_UP,
        /** An advance notice of planned work. */
        NOTICE,
        /** Planned work reaching its start. */
        START
    }

    private final EntityManager em;
    private final CadenceConfig config;
    private final IncidentConfig incidents;

    private final PromiseMetrics metrics;

    Deadlines(EntityManager em, CadenceConfig config, IncidentConfig incidents, PromiseMetrics metrics) {
        this.em = em;
        this.metrics = metrics;
        this.config = config;
        this.incidents = incidents;
    }

    void onPublished(@Observes UpdatePublished update) {
        if (!update.customersTold()) {
            // an internal note tells customers nothing, so it keeps no promise; one that closes
            // the incident ends the promises made before
            if (update.state().closed()) {
                cancelOpen(update.incidentId(), "'NUDGE', 'HOLDING', 'NOTICE', 'START'", update.at(), null);
            }
            return;
        }
        boolean closed = update.state().closed();
        int promisesKept = cancelOpen(update.incidentId(), "'NUDGE', 'HOLDING', 'NOTICE', 'START'", update.at(), "'HOLDING'");
        if (promisesKept > 0 && update.kind() != MessageKind.HOLDING) {
            metrics.kept(promisesKept);
        }
        if (update.state() == IncidentState.SCHEDULED) {
            scheduleNotices(update);
            return;
        }
        if (!closed || update.kind() == MessageKind.RESOLVED) {
            cancelOpen(update.incidentId(), "'FOLLOW_UP'", update.at(), null); // reopened, or resolved again
        }
        if (update.kind() == MessageKind.RESOLVED) {
            insert(update, Kind.FOLLOW_UP, update.at().plus(config.followUpDelay()));
        }
        if (!closed && update.nextUpdateBy() != null) {
            // the holding update starts twice as long before the promise as reaching everyone takes:
            // other incidents' messages share the senders meanwhile
            Instant holdingAt = update.nextUpdateBy().minus(update.deliveryEstimate().multipliedBy(2));
            Instant nudgeAt = holdingAt.minus(config.nudgeLead());
            if (nudgeAt.isAfter(update.at())) {
                insert(update, Kind.NUDGE, nudgeAt);
            }
            insert(update, Kind.HOLDING, holdingAt.isAfter(update.at()) ? holdingAt : update.at());
        }
    }

    /** Advance notices at the configured offsets still ahead (the message going out now is one), then the start. */
    private void scheduleNotices(UpdatePublished update) {
        for (java.time.Duration before : incidents.maintenanceNotices()) {
            Instant at = update.startsAt().minus(before);
            if (at.isAfter(update.at().plus(PromisePolicy.NOTICE_MARGIN))) {
                insert(update, Kind.NOTICE, at);
            }
        }
        insert(update, Kind.START, update.startsAt().isAfter(update.at()) ? update.startsAt() : update.at());
    }

    /** Cancels the incident's open deadlines of these kinds; answers how many of them were of {@code counted} kinds. */
    private int cancelOpen(long incidentId, String kinds, Instant now, String counted) {
        @SuppressWarnings("unchecked")
        java.util.List<Object> cancelled = em.createNativeQuery("""
                update cadence_deadline set cancelled_at = ?1
                where incident_id = ?2 and fired_at is null and cancelled_at is null and kind in (%s)
                returning kind""".formatted(kinds))
                .setParameter(1, Timestamp.from(now)).setParameter(2, incidentId).getResultList();
        return counted == null ? 0
                : (int) cancelled.stream().filter(kind -> counted.contains("'" + kind + "'")).count();
    }

    private void insert(UpdatePublished update, Kind kind, Instant dueAt) {
        em.createNativeQuery("""
                insert into cadence_deadline (incident_id, kind, due_at, set_by_update, created_at)
                values (?1, ?2, ?3, ?4, ?5)""")
                .setParameter(1, update.incidentId()).setParameter(2, kind.name()).setParameter(3, Timestamp.from(dueAt))
                .setParameter(4, update.updateId()).setParameter(5, Timestamp.from(update.at())).executeUpdate();
    }
}
