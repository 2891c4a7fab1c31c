package io.incidentcomms.cadence;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.incidentcomms.incident.Incident;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Fires due deadlines. Each is claimed with {@code FOR UPDATE SKIP LOCKED} and marked fired in
 * the transaction that acts on it (a holding update is published there too), so a deadline fires
 * once whatever the number of replicas, and one that came due while the service was down fires
 * when it is back.
 */
@ApplicationScoped
public class CadenceWorker {

    private static final Logger LOG = Logger.getLogger(CadenceWorker.class);
    /**
     * The follow-up's choices: fine again, or still affected (counted, and nudging the owner), in
     * each shipped language; a recipient in another language gets the incident's default one.
     */
    static final List<MessageOption> FOLLOW_UP_OPTIONS = List.of(
            new MessageOption("1", java.util.Map.of("en", "All good again", "de", "Alles wieder gut",
                    "fr", "Tout va bien"), null, false),
            new MessageOption("2", java.util.Map.of("en", "Still not working for me", "de", "Bei mir geht es noch nicht",
                    "fr", "Toujours en panne chez moi"), null, true));

    private final EntityManager em;
    private final Clock clock;
    private final IncidentService incidents;
    private final OwnerNudges nudges;
    private final CadenceConfig config;

    CadenceWorker(EntityManager em, Clock clock, IncidentService incidents, OwnerNudges nudges, CadenceConfig config) {
        this.em = em;
        this.clock = clock;
        this.incidents = incidents;
        this.nudges = nudges;
        this.config = config;
    }

    @Scheduled(every = "${comms.cadence.interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = CadenceDisabled.class)
    void fireScheduled() {
        fireDue();
    }

    /** Fires every deadline due now; returns how many. */
    public int fireDue() {
        int fired = 0;
        while (true) {
            List<OwnerNudges.Nudge> toSend = QuarkusTransaction.requiringNew().call(this::fireOne);
            if (toSend == null) {
                return fired;
            }
            toSend.forEach(nudges::send);
            fired++;
        }
    }

    /** Fires the next due deadline; null when none is due (or all due ones are being fired elsewhere). */
    @SuppressWarnings("unchecked")
    private List<OwnerNudges.Nudge> fireOne() {
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("""
                select id, incident_id, kind, due_at from cadence_deadline
                where fired_at is null and cancelled_at is null and due_at <= ?1
                order by due_at, id limit 1 for update skip locked""")
                .setParameter(1, Timestamp.from(now)).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = rows.get(0);
        long id = ((Number) row[0]).longValue();
        long incidentId = ((Number) row[1]).longValue();
        Deadlines.Kind kind = Deadlines.Kind.valueOf((String) row[2]);
        em.createNativeQuery("update cadence_deadline set fired_at = ?1 where id = ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, id).executeUpdate();
        Incident incident = Incident.findById(incidentId);
        if (incident.paused) {
            LOG.infof("%s of %s is not fired: the incident's messages are paused", kind, incident.key);
            return List.of();
        }
        return switch (kind) {
            case NUDGE -> nudges.nudge(incident, OwnerNudges.Reason.UPDATE_DUE, holdingDue(incidentId), Map.of());
            case HOLDING -> holding(incident);
            case NOTICE -> {
                int seq = incidents.publishAutomatic(incidentId, MessageKind.MAINTENANCE_NOTICE, null);
                LOG.infof("Advance notice #%d of %s published", seq, incident.key);
                yield List.of();
            }
            case START -> {
                if (incident.state == IncidentState.SCHEDULED) {
                    int seq = incidents.publishAutomatic(incidentId, MessageKind.MAINTENANCE_STARTED, null,
                            IncidentState.IN_PROGRESS);
                    LOG.infof("%s started as planned: update #%d published", incident.key, seq);
                }
                yield List.of();
            }
            case FOLLOW_UP -> {
                int seq = incidents.publishAutomatic(incidentId, MessageKind.FOLLOW_UP, FOLLOW_UP_OPTIONS);
                LOG.infof("Follow-up #%d of %s published", seq, incident.key);
                yield List.of();
            }
        };
    }

    private List<OwnerNudges.Nudge> holding(Incident incident) {
        int seq = incidents.publishAutomatic(incident.id, MessageKind.HOLDING, null);
        int inARow = holdingsInARow(incident.id);
        LOG.infof("No news on %s by the promised time: holding update #%d published (%d in a row)", incident.key, seq,
                inARow);
        if (inARow >= config.escalateAfterHoldings()) {
            return nudges.nudge(incident, OwnerNudges.Reason.ESCALATION, null, Map.of("holdingsInARow", inARow));
        }
        return List.of();
    }

    private Instant holdingDue(long incidentId) {
        List<?> due = em.createNativeQuery("""
                select due_at from cadence_deadline where incident_id = ?1 and kind = 'HOLDING'
                  and fired_at is null and cancelled_at is null order by due_at limit 1""")
                .setParameter(1, incidentId).getResultList();
        return due.isEmpty() ? null : SqlTimes.instant(due.get(0));
    }

    /** Holding updates published since the last update with news. */
    private int holdingsInARow(long incidentId) {
        return ((Number) em.createNativeQuery("""
                select count(*) from incident_update
                where incident_id = ?1 and status = 'PUBLISHED' and notify and message_kind = 'HOLDING'
                  and seq > coalesce((select max(seq) from incident_update where incident_id = ?1 and status = 'PUBLISHED'
                                        and notify and message_kind <> 'HOLDING'), 0)""")
                .setParameter(1, incidentId).getSingleResult()).intValue();
    }

    @ApplicationScoped
    public static class CadenceDisabled implements Scheduled.SkipPredicate {
        private final CadenceConfig config;

        CadenceDisabled(CadenceConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}
