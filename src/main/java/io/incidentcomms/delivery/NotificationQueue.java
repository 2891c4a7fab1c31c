package io.incidentcomms.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.persistence.SqlRows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The notifications as a work queue: claims with {@code FOR UPDATE SKIP LOCKED}, a lease per
 * claim that its worker renews, and every change of a claimed notification conditional on the
 * attempt still being the worker's own, so a worker that was taken over can never overwrite the
 * one that took over. Each statement runs in a transaction of its own.
 * <p>
 * What is due is found through {@code notification_queue}, which triggers keep in step with the
 * notification rows (V28), so that no index of notification covers a column a send changes and
 * every claim and record is a HOT update. A statement finds its candidates there, locks the
 * notification rows and re-checks them, since the queue row it read may be a moment old.
 */
@ApplicationScoped
class NotificationQueue {

    /**
     * Reads the notifications a statement's {@code claimed} step returned, with whom each goes to,
     * why it must not go any more (if so), and, for an SMS, whether the number heard of the incident
     * before (only a first SMS says how to stop them; an email never needs the look-up); the
     * {@code %s} adds columns at the end.
     */
    static final String SELECT_CLAIMED = """
            select c.id, c.incident_update_id as update_id, c.incident_id, c.contact_point_id, c.subscriber_id,
                   cast(c.attempt_id as text) as attempt_id, c.attempts, cp.channel, cp.address, s.locale, s.time_zone,
                   case when cp.address is null or s.erased_at is not null then 'the contact point was erased'
                        when cp.opted_out_at is not null then 'opted out since it was planned'
                        when exists (select 1 from suppression sp where sp.address_hash = cp.address_hash)
                             then 'the address opted out since it was planned'
                        when cp.bounced_at is not null then 'bounced since it was planned'
                        when cp.channel = 'SMS' and cp.consent_at is null then 'no SMS consent'
                        when exists (select 1 from incident_mute mu where mu.incident_id = c.incident_id
                                                                    and mu.subscriber_id = c.subscriber_id)
                             then 'muted this incident since it was planned'
                   end as suppressed,
                   cp.channel = 'SMS' and exists (select 1 from notification o where o.incident_id = c.incident_id
                             and o.contact_point_id = c.contact_point_id and o.state in ('SENT', 'DELIVERED') and o.id <> c.id)
                       as told_before,
                   s.quiet_start, s.quiet_end,
                   (select g.code from goodwill_code g where g.incident_id = c.incident_id and g.subscriber_id = c.subscriber_id)
                       as goodwill_code
                   %s
            from claimed c join contact_point cp on cp.id = c.contact_point_id left join subscriber s on s.id = c.subscriber_id
            """;

    /**
     * Records accepted sends, each only if its claim is still this attempt's ({@code SENDING} with
     * its attempt id), and says whether a delivery report waits for it. Each row is found by id.
     * Parameters in JDBC's form: ids, attempt ids, provider ids, variant ids, and the time twice.
     */
    static final String RECORD_SENT = """
            update notification n set state = 'SENT', provider_id = s.provider_id, variant_id = s.variant_id,
                last_error = null, next_attempt_at = null, sent_at = ?, lease_until = null, updated_at = ?
            from unnest(cast(? as bigint[]), cast(? as text[]), cast(? as varchar[]), cast(? as bigint[]))
                as s(id, attempt_id, provider_id, variant_id)
            where n.id = s.id and n.attempt_id = cast(s.attempt_id as uuid) and n.state = 'SENDING'
            returning n.id, exists (select 1 from provider_receipt r where r.notification_id = n.id
                                                                     and r.applied_at is null) as with_report""";

    /**
     * Claims due notifications of a channel in priority order, each with a new attempt id and a
     * lease. Parameters in JDBC's form: the channel, the time twice, how many at most, the lease's
     * end, and the time.
     */
    static final String CLAIM = """
            with picked as (
                select n.id from notification_queue q join notification n on n.id = q.notification_id
                where q.channel = ? and q.state = 'PLANNED' and (q.next_attempt_at is null or q.next_attempt_at <= ?)
                  and n.state = 'PLANNED' and (n.next_attempt_at is null or n.next_attempt_at <= ?)
                order by q.priority, q.turn, q.notification_id limit ? for update of n skip locked),
            claimed as (
                update notification n set state = 'SENDING', attempt_id = gen_random_uuid(), lease_until = ?,
                    attempts = n.attempts + 1, updated_at = ?
                from picked where n.id = picked.id
                returning n.id, n.incident_update_id, n.incident_id, n.contact_point_id, n.subscriber_id,
                          n.attempt_id, n.attempts, n.priority, n.turn)
            %s order by c.priority, c.turn, c.id""".formatted(SELECT_CLAIMED.formatted(""));

    /** An uncertain SMS claimed for a look-up at Twilio: the text kept at the attempt (if any) and when it was tried. */
    record UncertainSms(Claimed claimed, String keptText, Instant attemptedAt, int lookups) {
    }

    private final EntityManager em;
    private final SqlRows sql;

    NotificationQueue(EntityManager em, SqlRows sql) {
        this.em = em;
        this.sql = sql;
    }

    /**
     * Claims up to {@code limit} due notifications of a channel in priority order, each with a new
     * attempt id.
     */
    List<Claimed> claim(Channel channel, int limit, Instant now, Instant leaseUntil) {
        Timestamp at = Timestamp.from(now);
        return QuarkusTransaction.requiringNew().call(() -> sql.list(CLAIM,
                List.of(channel.name(), at, at, limit, Timestamp.from(leaseUntil), at), Claimed::of));
    }

    /** Extends the lease of those claims that are still this worker's; returns their ids. */
    @SuppressWarnings("unchecked")
    Set<Long> renew(List<Claimed> claims, Instant leaseUntil) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        List<Number> kept = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update notification n set lease_until = ?3
                from unnest(cast(?1 as bigint[]), cast(?2 as text[])) as c(id, attempt_id)
                where n.id = c.id and n.attempt_id = cast(c.attempt_id as uuid) and n.state = 'SENDING'
                returning n.id""")
                .setParameter(1, claims.stream().map(Claimed::id).toArray(Long[]::new))
                .setParameter(2, claims.stream().map(c -> c.attemptId().toString()).toArray(String[]::new))
                .setParameter(3, Timestamp.from(leaseUntil)).getResultList());
        Set<Long> ids = new HashSet<>();
        kept.forEach(id -> ids.add(id.longValue()));
        return ids;
    }

    /** An accepted message to record: the claim, the provider's id for it and the variant it was rendered from. */
    record Sent(Claimed claimed, String providerId, long variantId) {
    }

    /** What recording sends found: whose attempts were still the worker's, and which of those have a delivery report waiting. */
    record Recorded(Set<Long> mine, Set<Long> withReport) {
    }

    /**
     * Records accepted messages in one statement, within the caller's transaction. The others were
     * taken over and stay as they are. Through Hibernate (a native query resolving its array types
     * and mapping the rows to tuples) recording took twice the service's CPU it takes now.
     */
    Recorded markAllSent(List<Sent> sent, Instant now) {
        Timestamp at = Timestamp.from(now);
        List<RecordedRow> recorded = sql.list(RECORD_SENT, List.of(at, at,
                sent.stream().map(s -> s.claimed().id()).toArray(Long[]::new),
                sent.stream().map(s -> s.claimed().attemptId().toString()).toArray(String[]::new),
                sent.stream().map(Sent::providerId).toArray(String[]::new),
                sent.stream().map(Sent::variantId).toArray(Long[]::new)),
                row -> new RecordedRow(row.getLong("id"), row.getBoolean("with_report")));
        Set<Long> mine = new HashSet<>();
        Set<Long> withReport = new HashSet<>();
        for (RecordedRow row : recorded) {
            mine.add(row.id());
            if (row.withReport()) {
                withReport.add(row.id());
            }
        }
        return new Recorded(mine, withReport);
    }

    /** A row {@link #RECORD_SENT} returns. */
    private record RecordedRow(long id, boolean withReport) {
    }

    /**
     * Moves a claim to where its outcome puts it, within the caller's transaction; false if the
     * attempt was taken over (nothing changes then).
     */
    boolean settle(Claimed claimed, String state, SendOutcome outcome, Instant nextAttempt, Instant now) {
        return em.createNativeQuery("""
                update notification set state = ?1, provider_id = ?2, last_error = ?3, next_attempt_at = ?4,
                    sent_at = ?5, lease_until = null, updated_at = ?6, uncertain_attempts = uncertain_attempts + ?9
                where id = ?7 and attempt_id = cast(?8 as uuid) and state = 'SENDING'""")
                .setParameter(1, state).setParameter(2, outcome.providerId()).setParameter(3, outcome.error())
                .setParameter(4, nextAttempt == null ? null : Timestamp.from(nextAttempt))
                .setParameter(5, "SENT".equals(state) ? Timestamp.from(now) : null)
                .setParameter(6, Timestamp.from(now)).setParameter(7, claimed.id())
                .setParameter(8, claimed.attemptId().toString())
                .setParameter(9, outcome.kind() == SendOutcome.Kind.UNCERTAIN ? 1 : 0).executeUpdate() > 0;
    }

    /**
     * Returns a claim that was not sent: planned again, not before {@code notBefore} (if given).
     * Unless {@code countAttempt}, it is as if it had never been claimed.
     */
    void handBack(Claimed claimed, Instant notBefore, boolean countAttempt, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'PLANNED', lease_until = null, attempts = attempts - ?5,
                    next_attempt_at = ?1, updated_at = ?2
                where id = ?3 and attempt_id = cast(?4 as uuid) and state = 'SENDING'""")
                .setParameter(1, notBefore == null ? null : Timestamp.from(notBefore))
                .setParameter(2, Timestamp.from(now)).setParameter(3, claimed.id())
                .setParameter(4, claimed.attemptId().toString()).setParameter(5, countAttempt ? 0 : 1).executeUpdate());
    }

    /**
     * Claims whose lease ran out belong to a worker that died (or hung) mid-send: they become
     * uncertain, or, for email under at-least-once, planned again. Returns how many.
     */
    int expireLeases(boolean emailAtLeastOnce, String reason, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update notification n set
                    state = case when n.channel = 'EMAIL' and ?1 then 'PLANNED' else 'UNCERTAIN' end,
                    uncertain_attempts = n.uncertain_attempts + 1, last_error = ?2, lease_until = null, updated_at = ?3
                from notification_queue q
                where q.lease_until < ?3 and q.state = 'SENDING' and n.id = q.notification_id
                  and n.state = 'SENDING' and n.lease_until < ?3""")
                .setParameter(1, emailAtLeastOnce).setParameter(2, reason).setParameter(3, Timestamp.from(now))
                .executeUpdate());
    }

    /** Keeps the text of an SMS whose send ended without an answer, to look it up at Twilio by. */
    void keepText(Claimed claimed, String text) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update notification set sent_text = ?1 where id = ?2 and attempt_id = cast(?3 as uuid)")
                .setParameter(1, text).setParameter(2, claimed.id()).setParameter(3, claimed.attemptId().toString())
                .executeUpdate());
    }

    /**
     * Claims up to {@code limit} uncertain SMS due for a look-up: tried at least {@code settledBefore}
     * ago, not looked up by another worker now, and not while the SMS channel is held.
     */
    List<UncertainSms> claimUncertainSms(int limit, Instant settledBefore, Instant now, Instant leaseUntil) {
        Timestamp at = Timestamp.from(now);
        return QuarkusTransaction.requiringNew().call(() -> sql.list("""
                with picked as (
                    select n.id from notification_queue q join notification n on n.id = q.notification_id
                    where q.state = 'UNCERTAIN' and q.channel = 'SMS'
                      and n.state = 'UNCERTAIN' and n.updated_at <= ?
                      and (n.next_attempt_at is null or n.next_attempt_at <= ?)
                      and (n.lease_until is null or n.lease_until < ?)
                      and not exists (select 1 from send_rate where sender = 'sms' and held_since is not null)
                    order by q.notification_id limit ? for update of n skip locked),
                claimed as (
                    update notification n set lease_until = ? from picked where n.id = picked.id
                    returning n.id, n.incident_update_id, n.incident_id, n.contact_point_id, n.subscriber_id,
                              n.attempt_id, n.attempts, n.sent_text, n.updated_at, n.lookups)
                %s""".formatted(SELECT_CLAIMED.formatted(", c.sent_text, c.updated_at, c.lookups")),
                List.of(Timestamp.from(settledBefore), at, at, limit, Timestamp.from(leaseUntil)),
                row -> new UncertainSms(Claimed.of(row), row.getString("sent_text"),
                        row.getTimestamp("updated_at").toInstant(), row.getInt("lookups"))));
    }

    /** Twilio has it: it was sent. */
    void foundSent(long id, String sid, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'SENT', provider_id = ?1, sent_text = null, lease_until = null,
                    next_attempt_at = null, sent_at = ?2, updated_at = ?2 where id = ?3 and state = 'UNCERTAIN'""")
                .setParameter(1, sid).setParameter(2, Timestamp.from(now)).setParameter(3, id).executeUpdate());
    }

    /** Twilio does not have it: it is planned again. */
    void notFound(long id, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'PLANNED', next_attempt_at = null, sent_text = null,
                    lease_until = null, updated_at = ?1 where id = ?2 and state = 'UNCERTAIN'""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, id).executeUpdate());
    }

    /** Twilio did not answer: look again later, not before {@code next}. */
    void lookUpLater(long id, Instant next) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set lease_until = null, lookups = lookups + 1, next_attempt_at = ?2
                where id = ?1 and state = 'UNCERTAIN'""")
                .setParameter(1, id).setParameter(2, Timestamp.from(next)).executeUpdate());
    }
}
