package io.incidentcomms.feedback;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    /**
     * A subscriber whose latest message about the incident reached them on no channel: every
     * attempt failed, bounced or stayed uncertain, and nothing is still on its way. The contact
     * details are in clear: this list is for support to call.
     */
    @JsonPropertyOrder({ "subscriber", "name", "email", "phone", "updateSeq", "reasons" })
    public record NotReached(String subscriber, String name, String email, String phone, int updateSeq, String reasons) {
    }

    public record Feedback(List<OptionCount> answers, long stillAffected, long freeReplies, List<Reply> latestReplies,
            long notReached, List<NotReached> notReachedSample) {
    }

    /**
     * Per subscriber, the notifications of the latest update that was meant for them (superseded
     * ones aside), and whether any of them reached them, is under way, or failed.
     */
    private static final String NOT_REACHED = """
            with latest as (
                select subscriber_id, max(incident_update_id) as update_id from notification
                where incident_id = ?1 and state <> 'SUPERSEDED' group by subscriber_id),
            outcome as (
                select n.subscriber_id, n.incident_update_id,
                       bool_or(n.state in ('SENT', 'DELIVERED')) as reached,
                       bool_or(n.state in ('PLANNED', 'SENDING')) as under_way,
                       bool_or(n.state in ('FAILED', 'UNCERTAIN')) as failed,
                       string_agg(lower(n.channel) || ' ' || lower(n.state) || coalesce(': ' || n.last_error, ''), '; '
                                  order by n.id) as reasons
                from notification n join latest l on l.subscriber_id = n.subscriber_id and l.update_id = n.incident_update_id
                where n.incident_id = ?1 and n.state <> 'SUPERSEDED'
                group by n.subscriber_id, n.incident_update_id)
            select s.external_ref, s.name, email.address as email, phone.address as phone, u.seq, o.reasons
            from outcome o join subscriber s on s.id = o.subscriber_id
            join incident_update u on u.id = o.incident_update_id
            left join contact_point email on email.subscriber_id = s.id and email.channel = 'EMAIL'
            left join contact_point phone on phone.subscriber_id = s.id and phone.channel = 'SMS'
            where o.failed and not o.reached and not o.under_way and s.erased_at is null
            order by s.external_ref""";

    private final EntityManager em;
    private final FeedbackConfig config;

    FeedbackSummary(EntityManager em, FeedbackConfig config) {
        this.em = em;
        this.config = config;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Feedback of(long incidentId) {
        List<OptionCount> answers = ((List<Object[]>) em.createNativeQuery("""
                select u.seq, a.option_code, o.label ->> u.default_locale, a.still_affected, count(*)
                from answer a join incident_update u on u.id = a.incident_update_id
                left join lateral (select * from jsonb_to_recordset(u.options) as x(code text, label jsonb)
                                   where x.code = a.option_code limit 1) o on true
                where a.incident_id = ?1 group by 1, 2, 3, 4 order by 1, 2""")
                .setParameter(1, incidentId).getResultList()).stream()
                .map(r -> new OptionCount(((Number) r[0]).intValue(), (String) r[1], (String) r[2], (Boolean) r[3],
                        ((Number) r[4]).longValue()))
                .toList();
        long stillAffected = stillAffected(incidentId);
        long freeReplies = ((Number) em.createNativeQuery("select count(*) from free_reply where incident_id = ?1")
                .setParameter(1, incidentId).getSingleResult()).longValue();
        List<Reply> latestReplies = ((List<Object[]>) em.createNativeQuery("""
                select r.received_at, s.external_ref, r.channel, r.body from free_reply r
                left join subscriber s on s.id = r.subscriber_id
                where r.incident_id = ?1 order by r.received_at desc, r.id desc limit ?2""")
                .setParameter(1, incidentId).setParameter(2, config.summarySample()).getResultList()).stream()
                .map(r -> new Reply(SqlTimes.instant(r[0]), (String) r[1], ((String) r[2]).toLowerCase(), (String) r[3]))
                .toList();
        long notReached = ((Number) em.createNativeQuery("select count(*) from (" + NOT_REACHED + ") nr")
                .setParameter(1, incidentId).getSingleResult()).longValue();
        return new Feedback(answers, stillAffected, freeReplies, latestReplies, notReached,
                notReached(incidentId, config.summarySample()));
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

    @Transactional
    @SuppressWarnings("unchecked")
    public List<NotReached> notReached(long incidentId, int limit) {
        return ((List<Object[]>) em.createNativeQuery(NOT_REACHED + " limit ?2").setParameter(1, incidentId)
                .setParameter(2, limit).getResultList()).stream()
                .map(r -> new NotReached((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        ((Number) r[4]).intValue(), (String) r[5]))
                .toList();
    }

    /**
     * A cell a spreadsheet would take for a formula ({@code =}, {@code +}, {@code -}, {@code @}, a
     * tab or a carriage return first) is kept as text: every column, addresses and numbers too.
     */
    private static String inert(String text) {
        return text != null && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /** The whole not-reached list as CSV, with a header row. */
    @Transactional
    public void notReachedCsv(long incidentId, OutputStream out) throws IOException {
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = csv.schemaFor(NotReached.class).withHeader();
        try (SequenceWriter writer = csv.writer(schema).writeValues(out)) {
            for (NotReached row : notReached(incidentId, Integer.MAX_VALUE)) {
                writer.write(new NotReached(inert(row.subscriber()), inert(row.name()), inert(row.email()),
                        inert(row.phone()), row.updateSeq(), inert(row.reasons())));
            }
        }
    }
}
