package io.incidentcomms.feedback;

import java.time.Instant;
import java.util.List;

import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * What came back about an incident: answers per option, who is still affected, free replies,
 * and who was never reached.
 */
@ApplicationScoped
public class FeedbackSummary {

    /** How many subscribers chose an option of one update. */
    public record OptionCount(int updateSeq, String option, String label, boolean stillAffected, long answers) {
    }

    public record Reply(Instant receivedAt, String subscriber, String channel, String text) {
    }


    public record Feedback(List<OptionCount> answers, long stillAffected, long freeReplies, List<Reply> latestReplies,
            long notReached, List<NotReachedList.NotReached> notReachedSample) {
    }


    private final EntityManager em;
    private final FeedbackConfig config;
    private final NotReachedList notReached;

    FeedbackSummary(EntityManager em, FeedbackConfig config, NotReachedList notReached) {
        this.em = em;
        this.config = config;
        this.notReached = notReached;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Feedback of(long incidentId) {
        List<OptionCount> answers = ((List<Tuple>) em.createNativeQuery("""
                select u.seq, a.option_code, o.label ->> u.default_locale as label, a.still_affected, count(*) as answers
                from answer a join incident_update u on u.id = a.incident_update_id
                left join lateral (select * from jsonb_to_recordset(u.options) as x(code text, label jsonb)
                                   where x.code = a.option_code limit 1) o on true
                where a.incident_id = ?1 group by 1, 2, 3, 4 order by 1, 2""", Tuple.class)
                .setParameter(1, incidentId).getResultList()).stream()
                .map(r -> new OptionCount(r.get("seq", Number.class).intValue(), r.get("option_code", String.class),
                        r.get("label", String.class), r.get("still_affected", Boolean.class),
                        r.get("answers", Number.class).longValue()))
                .toList();
        long stillAffected = stillAffected(incidentId);
        long freeReplies = ((Number) em.createNativeQuery("select count(*) from free_reply where incident_id = ?1")
                .setParameter(1, incidentId).getSingleResult()).longValue();
        List<Reply> latestReplies = ((List<Tuple>) em.createNativeQuery("""
                select r.received_at, s.external_ref, r.channel, r.body from free_reply r
                left join subscriber s on s.id = r.subscriber_id
                where r.incident_id = ?1 order by r.received_at desc, r.id desc limit ?2""", Tuple.class)
                .setParameter(1, incidentId).setParameter(2, config.summarySample()).getResultList()).stream()
                .map(r -> new Reply(SqlTimes.instant(r.get("received_at")), r.get("external_ref", String.class),
                        r.get("channel", String.class).toLowerCase(), r.get("body", String.class)))
                .toList();
        return new Feedback(answers, stillAffected, freeReplies, latestReplies, notReached.count(incidentId),
                notReached.first(incidentId, config.summarySample()));
    }

    /** An answer a subscriber gave: to which incident and update, which option, how and when. */
    public record SubscriberAnswer(String incidentKey, int updateSeq, String option, String channel, Instant answeredAt) {
    }

    /** A subscriber's answers (by external ref), newest first. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<SubscriberAnswer> answersOf(String externalRef, int limit) {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, u.seq, a.option_code, a.channel, a.answered_at
                from answer a join subscriber s on s.id = a.subscriber_id
                join incident i on i.id = a.incident_id join incident_update u on u.id = a.incident_update_id
                where s.external_ref = ?1 and s.erased_at is null order by a.answered_at desc, a.id desc limit ?2""",
                Tuple.class).setParameter(1, externalRef).setParameter(2, limit).getResultList()).stream()
                .map(r -> new SubscriberAnswer(r.get("incident_key", String.class), r.get("seq", Number.class).intValue(),
                        r.get("option_code", String.class), r.get("channel", String.class).toLowerCase(),
                        SqlTimes.instant(r.get("answered_at"))))
                .toList();
    }

    /** Subscribers whose latest answer about the incident says it still affects them. */
    @Transactional
    public long stillAffected(long incidentId) {
        return ((Number) em.createNativeQuery("""
                select count(*) from (
                    select distinct on (subscriber_id) still_affected from answer where incident_id = ?1
                    order by subscriber_id, incident_update_id desc) latest
                where still_affected""").setParameter(1, incidentId).getSingleResult()).longValue();
    }
}
