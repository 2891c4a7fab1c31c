package io.incidentcomms.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.AudienceResolver;
import io.incidentcomms.audience.Masking;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.incident.NotificationIntents;
import io.incidentcomms.platform.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Turns each released notification intent into one notification per (update, contact point),
 * in the database: {@code INSERT … SELECT} over the audience resolution, {@code ON CONFLICT DO
 * NOTHING} on the unique pair. Claiming the intent and writing its notifications commit together,
 * so an interrupted plan is simply planned again, and replicas never plan the same intent twice.
 */
@ApplicationScoped
public class DeliveryPlanner {

    private static final Logger LOG = Logger.getLogger(DeliveryPlanner.class);

    private final NotificationIntents intents;
    private final IncidentQueries incidents;
    private final AudienceResolver audience;
    private final DataSource dataSource;
    private final Clock clock;
    private final DeliveryConfig config;
    private final EntityManager em;
    private final GoodwillCodes goodwill;
    private final Traces traces;

    DeliveryPlanner(NotificationIntents intents, IncidentQueries incidents, AudienceResolver audience,
            DataSource dataSource, Clock clock, DeliveryConfig config, EntityManager em, GoodwillCodes goodwill,
            Traces traces) {
        this.em = em;
        this.traces = traces;
        this.goodwill = goodwill;
        this.intents = intents;
        this.incidents = incidents;
        this.audience = audience;
        this.dataSource = dataSource;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${comms.delivery.planner.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PlannerDisabled.class)
    void planReleased() {
        while (planBatch() == config.planner().batchSize()) {
            // keep going while whole batches come back
        }
    }

    /**
     * Plans up to a batch of released intents, each in a transaction of its own: one that fails (a
     * subscriber's data the database rejects, say) is retried later and then set aside with its
     * error, and never holds back the others. Returns how many intents it took.
     */
    public int planBatch() {
        int taken = 0;
        while (taken < config.planner().batchSize()) {
            Long[] claimed = { null };
            try {
                boolean planned = QuarkusTransaction.requiringNew().call(() -> {
                    List<Long> updateIds = intents.claimReleasedUpdateIds(1);
                    if (updateIds.isEmpty()) {
                        return false;
                    }
                    claimed[0] = updateIds.get(0);
                    planTraced(claimed[0]);
                    return true;
                });
                if (!planned) {
                    return taken;
                }
            } catch (RuntimeException e) {
                if (claimed[0] == null) {
                    throw e;
                }
                String error = Masking.inText(io.incidentcomms.platform.Failures.innermost(e));
                LOG.errorf("Planning update %d failed; it is tried again later: %s", claimed[0], error);
                intents.failed(claimed[0], error);
            }
            taken++;
        }
        return taken;
    }

    /** Plans one claimed intent inside a span that continues the trace the update was published in. */
    private void planTraced(long updateId) {
        if (!traces.on()) {
            planOne(updateId);
            return;
        }
        Span span = traces.start("plan notifications", SpanKind.INTERNAL, intents.traceParents(List.of(updateId)).get(updateId));
        span.setAttribute("comms.update_id", updateId);
        try {
            span.setAttribute("comms.notifications_planned", planOne(updateId));
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Plans one claimed intent: its notifications, goodwill codes, superseding, SMS budget and quiet hours. */
    private int planOne(long updateId) {
        IncidentQueries.AudienceTarget target = incidents.audienceTargetOfUpdate(updateId);
        IncidentQueries.MessageSource source = incidents.messageSourceOfUpdate(updateId);
        int planned = plan(updateId, target, source.kind());
        if (source.content().hasGoodwill()) {
            int given = goodwill.assign(updateId, target.incidentId());
            LOG.infof("%d goodwill code(s) given with update %d", given, updateId);
        }
        int superseded = supersedeOlder(updateId, target.incidentId());
        if (target.severity() != Severity.CRITICAL) {
            keepToSmsBudget(updateId);
            int held = holdForQuietHours(updateId);
            if (held > 0) {
                LOG.infof("%d notification(s) of update %d wait for the end of their recipients' quiet hours", held,
                        updateId);
            }
        }
        LOG.infof("Planned %d notification(s) for update %d; %d older queued one(s) superseded", planned, updateId,
                superseded);
        return planned;
    }

    private int plan(long updateId, IncidentQueries.AudienceTarget target, MessageKind kind) {
        AudienceResolver.Resolution resolution = audience.resolution(target);
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("""
                        insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id,
                                                  channel, state, created_at, priority, turn)
                        select ?, ?, r.subscriber_id, r.contact_point_id, r.channel, 'PLANNED', ?, ?,
                               row_number() over ()
                        from (%s) r
                        on conflict (incident_update_id, contact_point_id) do nothing""".formatted(resolution.sql()))) {
            insert.setLong(1, updateId);
            insert.setLong(2, target.incidentId());
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.setInt(4, priority(target.severity(), kind));
            resolution.binder().bind(c, insert, 5);
            return insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Planning notifications for update " + updateId + " failed", e);
        }
    }

    /**
     * Lower goes first: severity (critical, major, minor), then the kind of message — resolved and
     * holding updates before other news, follow-ups last — so a large minor fan-out never delays a
     * critical one. Within one priority, each notification's turn in its update (the round-robin
     * between incidents), then age decide.
     */
    static int priority(Severity severity, MessageKind kind) {
        int kindRank = switch (kind) {
            case RESOLVED, HOLDING, MAINTENANCE_COMPLETED, MAINTENANCE_CANCELLED -> 0;
            case FOLLOW_UP -> 2;
            default -> 1;
        };
        return severity.ordinal() * 10 + kindRank;
    }

    /**
     * Latest state wins: an older update of the same incident still queued for a contact point
     * that this update reaches is not sent any more, so nobody gets "still down" after "resolved".
     * The candidates come from the queue, which holds only what is unfinished, so that no join
     * order can read the incident's whole history (with stale statistics, a join over the
     * notifications took a second per update).
     */
    static final String SUPERSEDE_OLDER = """
            update notification old set state = 'SUPERSEDED', updated_at = ?
            from notification_queue q
            where q.state = 'PLANNED' and q.incident_id = ?
              and q.contact_point_id in (select contact_point_id from notification where incident_update_id = ?)
              and old.id = q.notification_id and old.state = 'PLANNED' and old.incident_update_id < ?""";

    private int supersedeOlder(long updateId, long incidentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(SUPERSEDE_OLDER)) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setLong(2, incidentId);
            update.setLong(3, updateId);
            update.setLong(4, updateId);
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Superseding older notifications failed", e);
        }
    }

    /** SMS to this update's recipients that already had the budget's worth about the incident within the hour. */
    private static final String OVER_SMS_BUDGET = """
            select n.id, n.subscriber_id,
                   (select min(coalesce(o.sent_at, o.updated_at)) from notification o
                    where o.incident_id = n.incident_id and o.contact_point_id = n.contact_point_id and o.id <> n.id
                      and o.state in ('SENT', 'DELIVERED', 'UNCERTAIN')
                      and coalesce(o.sent_at, o.updated_at) > cast(? as timestamptz) - interval '1 hour') as window_start
            from notification n
            where n.incident_update_id = ? and n.channel = 'SMS' and n.state = 'PLANNED'
              and (select count(*) from notification o
                   where o.incident_id = n.incident_id and o.contact_point_id = n.contact_point_id and o.id <> n.id
                     and o.state in ('SENT', 'DELIVERED', 'UNCERTAIN')
                     and coalesce(o.sent_at, o.updated_at) > cast(? as timestamptz) - interval '1 hour') >= ?""";

    /**
     * The SMS budget: an SMS beyond it goes by email instead when the recipient has a usable
     * address (or gets this update by email anyway); otherwise it waits until the oldest SMS of
     * the hour ages out, and a newer update arriving meanwhile supersedes it.
     */
    private void keepToSmsBudget(long updateId) {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection();
                PreparedStatement byEmail = c.prepareStatement("""
                        with over as materialized (%s),
                        email as (
                            select over.id, cp.id as contact_point_id from over
                            join contact_point cp on cp.subscriber_id = over.subscriber_id and cp.channel = 'EMAIL'
                            where cp.address is not null and cp.opted_out_at is null and cp.bounced_at is null),
                        added as (
                            insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id,
                                                      channel, state, created_at, priority, turn, fallback_of)
                            select n.incident_update_id, n.incident_id, n.subscriber_id, email.contact_point_id, 'EMAIL',
                                   'PLANNED', ?, n.priority, n.turn, n.id
                            from email join notification n on n.id = email.id
                            on conflict (incident_update_id, contact_point_id) do nothing)
                        update notification set state = 'SUPPRESSED', updated_at = ?,
                            last_error = 'SMS budget for this incident reached: told by email instead'
                        where id in (select id from email)""".formatted(OVER_SMS_BUDGET));
                PreparedStatement later = c.prepareStatement("""
                        with over as materialized (%s)
                        update notification n set next_attempt_at = over.window_start + interval '1 hour'
                        from over where n.id = over.id""".formatted(OVER_SMS_BUDGET))) {
            int budget = config.smsBudgetPerIncidentPerHour();
            byEmail.setTimestamp(1, now);
            byEmail.setLong(2, updateId);
            byEmail.setTimestamp(3, now);
            byEmail.setInt(4, budget);
            byEmail.setTimestamp(5, now);
            byEmail.setTimestamp(6, now);
            int moved = byEmail.executeUpdate();
            later.setTimestamp(1, now);
            later.setLong(2, updateId);
            later.setTimestamp(3, now);
            later.setInt(4, budget);
            int waiting = later.executeUpdate();
            if (moved + waiting > 0) {
                LOG.infof("SMS budget: %d SMS of update %d go by email instead, %d wait for the hour to pass", moved,
                        updateId, waiting);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Keeping to the SMS budget failed", e);
        }
    }

    /**
     * Quiet hours: a non-critical message planned inside the recipient's local quiet window waits
     * until the window ends there. A newer update planned meanwhile supersedes it, so the
     * recipient wakes up to the latest state, not a backlog. Like the SMS budget's, the statement
     * starts from this update's planned notifications, materialized: given the choice, the planner
     * may start from the subscribers instead and look each one's notifications up through an index
     * that does not lead with the subscriber, reading it whole per subscriber.
     */
    private int holdForQuietHours(long updateId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("""
                        with planned as materialized (
                            select id, subscriber_id from notification where incident_update_id = ? and state = 'PLANNED')
                        update notification n
                        set next_attempt_at = ((case when cast(l.local as time) < s.quiet_end then cast(l.local as date)
                                                     else cast(l.local as date) + 1 end) + s.quiet_end)
                                              at time zone s.time_zone
                        from planned p join subscriber s on s.id = p.subscriber_id
                             cross join lateral (select cast(? as timestamptz) at time zone s.time_zone as local) l
                        where n.id = p.id
                          and s.quiet_start is not null and s.quiet_end is not null and s.quiet_start <> s.quiet_end
                          and case when s.quiet_start < s.quiet_end
                                   then cast(l.local as time) >= s.quiet_start and cast(l.local as time) < s.quiet_end
                                   else cast(l.local as time) >= s.quiet_start or cast(l.local as time) < s.quiet_end end""")) {
            update.setLong(1, updateId);
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Holding notifications for quiet hours failed", e);
        }
    }

    @ApplicationScoped
    public static class PlannerDisabled implements Scheduled.SkipPredicate {
        private final DeliveryConfig config;

        PlannerDisabled(DeliveryConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.planner().enabled();
        }
    }

    /**
     * The message failed for good on this channel: it goes by the subscriber's other usable
     * contact point, unless that one has it already. Joins the caller's transaction.
     */
    @Transactional
    public void planFallback(long failedId, Instant now) {
        int added = em.createNativeQuery("""
                insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel,
                                          state, created_at, priority, turn, fallback_of)
                select n.incident_update_id, n.incident_id, n.subscriber_id, cp.id, cp.channel, 'PLANNED', ?2,
                       n.priority, n.turn, n.id
                from notification n join contact_point cp on cp.subscriber_id = n.subscriber_id and cp.id <> n.contact_point_id
                where n.id = ?1 and cp.address is not null and cp.opted_out_at is null and cp.bounced_at is null
                  and (cp.channel <> 'SMS' or cp.consent_at is not null)
                on conflict (incident_update_id, contact_point_id) do nothing""")
                .setParameter(1, failedId).setParameter(2, Timestamp.from(now)).executeUpdate();
        if (added > 0) {
            LOG.infof("Notification %d failed for good; it goes by the other channel instead", failedId);
        }
    }
}
