package io.incidentcomms.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The outbox between a published update and delivery. An intent is written in the publishing
 * transaction; delivery claims intents whose incident is not paused while messaging as a whole is
 * not paused, so a kill switch holds messages back instead of dropping them.
 */
@ApplicationScoped
public class NotificationIntents {

    private final EntityManager em;
    private final Clock clock;

    NotificationIntents(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void record(IncidentUpdate update) {
        NotificationIntent intent = new NotificationIntent();
        intent.incidentUpdateId = update.id;
        intent.incidentId = update.incident.id;
        intent.createdAt = clock.instant();
        intent.persist();
    }

    /**
     * Claims up to {@code limit} intents that may be sent now and marks them planned, in the
     * caller's transaction; replicas never claim the same intent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Long> claimReleasedUpdateIds(int limit) {
        List<Number> ids = em.createNativeQuery("""
                update notification_intent set planned_at = ?1
                where id in (select ni.id from notification_intent ni
                             join incident i on i.id = ni.incident_id
                             where ni.planned_at is null and not i.paused
                               and not (select paused from messaging_control where id = 1)
                             order by ni.id limit ?2 for update of ni skip locked)
                returning incident_update_id""")
                .setParameter(1, Timestamp.from(clock.instant()))
                .setParameter(2, limit)
                .getResultList();
        return ids.stream().map(Number::longValue).sorted().toList();
    }

    /** Intents waiting to be planned, paused or not. */
    @Transactional
    public long pendingCount(String incidentKey) {
        return NotificationIntent.count(
                "plannedAt is null and incidentId = (select i.id from Incident i where i.key = ?1)", incidentKey);
    }
}
