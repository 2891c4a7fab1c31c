package io.incidentcomms.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.platform.time.SqlTimes;
import io.incidentcomms.platform.tracing.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
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
    private final Traces traces;

    NotificationIntents(EntityManager em, Clock clock, Traces traces) {
        this.em = em;
        this.clock = clock;
        this.traces = traces;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void record(IncidentUpdate update) {
        NotificationIntent intent = new NotificationIntent();
        intent.incidentUpdateId = update.id;
        intent.incidentId = update.incident.id;
        intent.createdAt = clock.instant();
        intent.traceParent = traces.currentParent();
        intent.persist();
    }

    /**
     * Claims up to {@code limit} intents that may be sent now and marks them planned, in the
     * caller's transaction; replicas never claim the same intent. One that failed waits for its
     * retry; one set aside is not claimed again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Long> claimReleasedUpdateIds(int limit) {
        List<Number> ids = em.createNativeQuery("""
                update notification_intent set planned_at = ?1
                where id in (select ni.id from notification_intent ni
                             join incident i on i.id = ni.incident_id
                             where ni.planned_at is null and ni.failed_at is null
                               and (ni.next_attempt_at is null or ni.next_attempt_at <= ?1) and not i.paused
                               and not (select paused from messaging_control where id = 1)
                             order by ni.id limit ?2 for update of ni skip locked)
                returning incident_update_id""")
                .setParameter(1, Timestamp.from(clock.instant()))
                .setParameter(2, limit)
                .getResultList();
        return ids.stream().map(Number::longValue).sorted().toList();
    }

    /** The trace each update was published in, by update id (updates published untraced are left out). */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<Long, String> traceParents(Collection<Long> updateIds) {
        Map<Long, String> parents = new HashMap<>();
        if (updateIds.isEmpty()) {
            return parents;
        }
        ((List<Tuple>) em.createNativeQuery("""
                select incident_update_id, trace_parent from notification_intent
                where incident_update_id = any(?1) and trace_parent is not null""", Tuple.class)
                .setParameter(1, updateIds.toArray(Long[]::new))
                .getResultList())
                .forEach(row -> parents.put(row.get("incident_update_id", Number.class).longValue(),
                        row.get("trace_parent", String.class)));
        return parents;
    }

    /** How many times planning an intent may fail before it is set aside. */
    static final int MAX_ATTEMPTS = 5;

    /**
     * Planning the update failed: it is tried again later (a minute, doubling), and after
     * {@value #MAX_ATTEMPTS} failures set aside with its error, for ops to see and fix.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failed(long updateId, String error) {
        java.time.Instant now = clock.instant();
        em.createNativeQuery("""
                update notification_intent set attempts = attempts + 1, last_error = ?2,
                    next_attempt_at = cast(?3 as timestamptz) + interval '1 minute' * power(2, least(attempts, 10)),
                    failed_at = case when attempts + 1 >= ?4 then cast(?3 as timestamptz) end
                where incident_update_id = ?1""")
                .setParameter(1, updateId).setParameter(2, error).setParameter(3, Timestamp.from(now))
                .setParameter(4, MAX_ATTEMPTS).executeUpdate();
    }

    /** An intent that failed to be planned, as ops see it. */
    public record SetAside(String incidentKey, int updateSeq, int attempts, String lastError, java.time.Instant nextAttemptAt,
            java.time.Instant failedAt) {
    }

    /** Intents whose planning failed: waiting for a retry, or set aside for good. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<SetAside> failing() {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, u.seq, ni.attempts, ni.last_error, ni.next_attempt_at, ni.failed_at
                from notification_intent ni join incident_update u on u.id = ni.incident_update_id
                join incident i on i.id = ni.incident_id
                where ni.planned_at is null and ni.attempts > 0 order by ni.id""", Tuple.class).getResultList()).stream()
                .map(r -> new SetAside(r.get("incident_key", String.class), r.get("seq", Number.class).intValue(),
                        r.get("attempts", Number.class).intValue(), r.get("last_error", String.class),
                        SqlTimes.instant(r.get("next_attempt_at")), SqlTimes.instant(r.get("failed_at"))))
                .toList();
    }

    /** Intents waiting to be planned, paused or not. */
    @Transactional
    public long pendingCount(String incidentKey) {
        return NotificationIntent.count(
                "plannedAt is null and incidentId = (select i.id from Incident i where i.key = ?1)", incidentKey);
    }
}
