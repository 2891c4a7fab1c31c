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
import jakarta.persistence.Tuple;

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

    private final PromiseMetrics promises;

    CadenceWorker(EntityManager em, Clock clock, IncidentService incidents, OwnerNudges nudges, CadenceConfig config,
            PromiseMetrics promises) {
        this.em = em;
        this.promises = promises;
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

    /** How many times a deadline may fail to fire before it is set aside. */
    static final int MAX_ATTEMPTS = 5;

    /**
     * Fires every deadline due now; returns how many. One that fails is tried again later (and set
     * aside after {@value #MAX_ATTEMPTS} tries) while the others fire.
     */
    public int fireDue() {
        int fired = 0;
        while (true) {
            long[] claimed = { -1 };
            List<OwnerNudges.Nudge> toSend;
            try {
                toSend = QuarkusTransaction.requiringNew().call(() -> fireOne(claimed));
            } catch (RuntimeException e) {
                if (claimed[0] < 0) {
                    throw e;
                }
                setAside(claimed[0], e);
                continue;
            }
            if (toSend == null) {
                return fired;
            }
            toSend.forEach(nudges::send);
            fired++;
        }
    }

    /** A deadline that failed waits a minute (doubling), and after the last try is set aside with its error. */
    private void setAside(long id, RuntimeException e) {
        String error = io.incidentcomms.audience.Masking.inText(io.incidentcomms.platform.Failures.innermost(e));
        LOG.errorf("Deadline %d failed to fire; it is tried again later: %s", id, error);
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update cadence_deadline set attempts = attempts + 1, last_error = ?2,
                    due_at = cast(?3 as timestamptz) + interval '1 minute' * power(2, least(attempts, 10)),
                    failed_at = case when attempts + 1 >= ?4 then cast(?3 as timestamptz) end
                where id = ?1""")
                .setParameter(1, id).setParameter(2, error).setParameter(3, Timestamp.from(now))
                .setParameter(4, MAX_ATTEMPTS).executeUpdate());
    }

    /**
     * Fires the next due deadline; null when none is due (or all due ones are being fired elsewhere).
     * A paused incident's deadlines are not taken: they wait for the resume (planned work then
     * starts late rather than never).
     */
    @SuppressWarnings("unchecked")
    private List<OwnerNudges.Nudge> fireOne(long[] claimed) {
        Instant now = clock.instant();
        List<Tuple> rows = em.createNativeQuery("""
                select d.id, d.incident_id, d.kind, d.due_at from cadence_deadline d join incident i on i.id = d.incident_id
                where d.fired_at is null and d.cancelled_at is null and d.failed_at is null and d.due_at <= ?1
                  and not i.paused
                order by d.due_at, d.id limit 1 for update of d skip locked""", Tuple.class)
                .setParameter(1, Timestamp.from(now)).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Tuple row = rows.get(0);
        long id = row.get("id", Number.class).longValue();
        claimed[0] = id;
        long incidentId = row.get("incident_id", Number.class).longValue();
        Deadlines.Kind kind = Deadlines.Kind.valueOf(row.get("kind", String.class));
        em.createNativeQuery("update cadence_deadline set fired_at = ?1 where id = ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, id).executeUpdate();
        Incident incident = Incident.findById(incidentId);
        if (!stillMeant(kind, incident.state)) {
            LOG.infof("%s of %s is not fired: the incident is %s now", kind, incident.key, incident.state.wire());
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
        promises.held();
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

    /**
     * Whether a deadline still means something in the incident's state now: nudges and holding
     * updates only while it is open, notices and the start only while the work is scheduled, the
     * follow-up only once it is resolved.
     */
    static boolean stillMeant(Deadlines.Kind kind, IncidentState state) {
        return switch (kind) {
            case NUDGE, HOLDING -> !state.closed() && state != IncidentState.SCHEDULED;
            case NOTICE, START -> state == IncidentState.SCHEDULED;
            case FOLLOW_UP -> state == IncidentState.RESOLVED || state == IncidentState.COMPLETED;
        };
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
