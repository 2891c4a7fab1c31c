package io.incidentcomms.feedback;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Final delivery reports from providers. A report is stored first and then applied to its
 * notification when that one is sent (or uncertain, which a report settles): delivered, or failed
 * with the provider's error code. States only move forward, and a report that arrives before our
 * own record of the send has committed waits for it and is applied then.
 */
@ApplicationScoped
public class ProviderReceipts {

    private static final Logger LOG = Logger.getLogger(ProviderReceipts.class);
    /** Twilio's final statuses; queued, sending, sent and the like add nothing to our 201. */
    static final Set<String> FINAL = Set.of("delivered", "undelivered", "failed");

    private final EntityManager em;
    private final Clock clock;

    ProviderReceipts(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Stores a report and applies it if it can be; returns whether it was a final status. */
    @Transactional
    public boolean receive(long notificationId, String status, String errorCode, String messageSid) {
        String normalized = status == null ? "" : status.toLowerCase();
        if (!FINAL.contains(normalized)) {
            return false;
        }
        em.createNativeQuery("""
                insert into provider_receipt (notification_id, status, error_code, message_sid, received_at)
                select ?1, ?2, ?3, ?4, ?5 where exists (select 1 from notification where id = ?1)""")
                .setParameter(1, notificationId).setParameter(2, normalized).setParameter(3, errorCode)
                .setParameter(4, messageSid).setParameter(5, Timestamp.from(clock.instant())).executeUpdate();
        apply(Set.of(notificationId));
        return true;
    }

    /**
     * Applies reports still waiting a while after they came, in case one slipped between the
     * report's own attempt (the send not recorded yet) and the send's record (the report not
     * committed yet).
     */
    @Scheduled(every = "${comms.feedback.receipts-sweep-interval:1m}", delayed = "30s")
    @Transactional
    void applyStale() {
        @SuppressWarnings("unchecked")
        java.util.List<Number> ids = em.createNativeQuery("""
                select distinct r.notification_id from provider_receipt r join notification n on n.id = r.notification_id
                where r.applied_at is null and r.received_at < ?1 and n.state not in ('PLANNED', 'SENDING')
                limit 1000""").setParameter(1, Timestamp.from(clock.instant().minusSeconds(30))).getResultList();
        if (!ids.isEmpty()) {
            apply(ids.stream().map(Number::longValue).toList());
            LOG.infof("Applied waiting delivery reports of %d notification(s)", ids.size());
        }
    }

    /** Applies waiting reports of these notifications, within the caller's transaction. */
    @Transactional
    public void applyPending(Collection<Long> notificationIds) {
        if (!notificationIds.isEmpty()) {
            apply(notificationIds);
        }
    }

    private void apply(Collection<Long> notificationIds) {
        Timestamp now = Timestamp.from(clock.instant());
        Long[] ids = notificationIds.toArray(Long[]::new);
        int applied = em.createNativeQuery("""
                update notification n set
                    state = case when r.status = 'delivered' then 'DELIVERED' else 'FAILED' end,
                    last_error = case when r.status = 'delivered' then n.last_error
                                      else 'Twilio ' || r.status || coalesce(' (error ' || r.error_code || ')', '') end,
                    provider_id = coalesce(n.provider_id, r.message_sid), updated_at = ?2
                from (select distinct on (notification_id) notification_id, status, error_code, message_sid
                      from provider_receipt where applied_at is null and notification_id = any(cast(?1 as bigint[]))
                      order by notification_id, (status = 'delivered') desc, id) r
                where n.id = r.notification_id and n.state in ('SENT', 'UNCERTAIN')""")
                .setParameter(1, ids).setParameter(2, now).executeUpdate();
        // settled: applied now, or the notification is past the point a report could move it
        em.createNativeQuery("""
                update provider_receipt r set applied_at = ?2 from notification n
                where r.notification_id = n.id and r.applied_at is null and r.notification_id = any(cast(?1 as bigint[]))
                  and n.state not in ('PLANNED', 'SENDING')""")
                .setParameter(1, ids).setParameter(2, now).executeUpdate();
        if (applied > 0) {
            LOG.debugf("Applied %d delivery report(s)", applied);
        }
    }
}
