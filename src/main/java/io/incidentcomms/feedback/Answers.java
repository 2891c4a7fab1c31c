package io.incidentcomms.feedback;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.SubscriberErased;
import io.incidentcomms.events.OutboundEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * What customers answer. An option code is matched to the latest update of each incident that
 * the contact point received within the reply window: when exactly one of those offers the code,
 * it is the answer; when several incidents do, nothing is recorded and the customer is asked
 * which one ({@code CODE INCIDENT-KEY}); when none does, the text is kept as a free reply.
 * Answers and free replies are published on {@code incident-events}.
 */
@ApplicationScoped
public class Answers {

    private static final Logger LOG = Logger.getLogger(Answers.class);
    /** A code, optionally followed by the incident's key: {@code 1} or {@code 1 INC-42}. */
    private static final Pattern CODE_REPLY = Pattern.compile("([A-Za-z0-9]{1,12})(?:\\s+([A-Za-z0-9][A-Za-z0-9_-]{0,31}))?");

    /** An option that an update the contact point received offers. */
    public record Offer(long incidentId, String incidentKey, String title, long updateId, int updateSeq, String code,
            String label, boolean stillAffected) {
    }

    /** What became of an SMS reply. */
    public sealed interface Reply {
    }

    public record Answered(Offer offer) implements Reply {
    }

    /** The code fits options of several incidents: the customer is asked which one. */
    public record Ambiguous(List<Offer> offers) implements Reply {
    }

    public record FreeReply() implements Reply {
    }

    private final EntityManager em;
    private final Clock clock;
    private final FeedbackConfig config;
    private final OutboundEvents events;
    private final Event<AnswerRecorded> recorded;

    Answers(EntityManager em, Clock clock, FeedbackConfig config, OutboundEvents events, Event<AnswerRecorded> recorded) {
        this.recorded = recorded;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.events = events;
    }

    /** A reply to our SMS that is no carrier keyword: an answer if it is an option code, else a free reply. */
    @Transactional
    public Reply smsReply(String from, String body) {
        String text = body == null ? "" : body.strip();
        Matcher code = CODE_REPLY.matcher(text);
        if (code.matches()) {
            List<Offer> offers = offers("cp.channel = 'SMS' and cp.address = :address", Map.of("address", from),
                    code.group(1), code.group(2));
            if (offers.size() == 1) {
                Offer offer = offers.get(0);
                record(offer, Channel.SMS, "cp.channel = 'SMS' and cp.address = :address", Map.of("address", from));
                return new Answered(offer);
            }
            if (offers.size() > 1) {
                LOG.infof("A reply from %s fits options of %d incidents; asking which one", Masking.phone(from),
                        offers.size());
                return new Ambiguous(offers);
            }
        }
        storeFreeReply(from, text);
        return new FreeReply();
    }

    /** The option an email link stands for, if the contact point received an update of the incident offering it. */
    @Transactional
    public Optional<Offer> emailOffer(long contactPointId, long incidentId, String code) {
        if (code == null || !CODE_REPLY.matcher(code).matches()) {
            return Optional.empty();
        }
        return offers("cp.id = :contactPoint and n.incident_id = :incident",
                Map.of("contactPoint", contactPointId, "incident", incidentId), code, null).stream().findFirst();
    }

    /** Records the choice made on the page behind an email's option link. */
    @Transactional
    public Optional<Offer> answerByEmail(long contactPointId, long incidentId, String code) {
        Optional<Offer> offer = emailOffer(contactPointId, incidentId, code);
        offer.ifPresent(o -> record(o, Channel.EMAIL, "cp.id = :contactPoint", Map.of("contactPoint", contactPointId)));
        return offer;
    }

    /**
     * Per incident, the latest update the matching contact points received within the reply
     * window, when it offers {@code code} (and, if given, belongs to the incident with that key).
     */
    @SuppressWarnings("unchecked")
    private List<Offer> offers(String contactPoints, Map<String, Object> params, String code, String incidentKey) {
        var query = em.createNativeQuery("""
                with received as (
                    select distinct on (n.incident_id) n.incident_id, n.incident_update_id
                    from notification n join contact_point cp on cp.id = n.contact_point_id
                    where %s and n.state in ('SENT', 'DELIVERED', 'UNCERTAIN') and coalesce(n.sent_at, n.updated_at) >= :since
                    order by n.incident_id, n.incident_update_id desc)
                select i.id, i.incident_key, i.title, u.id as update_id, u.seq, o.code, o.label,
                       coalesce(o."stillAffected", false)
                from received r join incident i on i.id = r.incident_id
                join incident_update u on u.id = r.incident_update_id
                cross join lateral jsonb_to_recordset(u.options) as o(code text, label text, "stillAffected" boolean)
                where upper(o.code) = :code and (cast(:incidentKey as varchar) is null or upper(i.incident_key) = :incidentKey)
                order by r.incident_update_id desc""".formatted(contactPoints))
                .setParameter("since", Timestamp.from(clock.instant().minus(config.replyWindow())))
                .setParameter("code", code.toUpperCase(Locale.ROOT))
                .setParameter("incidentKey", incidentKey == null ? null : incidentKey.toUpperCase(Locale.ROOT));
        params.forEach(query::setParameter);
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new Offer(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                ((Number) r[3]).longValue(), ((Number) r[4]).intValue(), (String) r[5], (String) r[6], (Boolean) r[7]))
                .toList();
    }

    /**
     * One answer per subscriber who received the update at the matching contact points (a number
     * two subscribers share answers for both); answering again changes the answer.
     */
    @SuppressWarnings("unchecked")
    private void record(Offer offer, Channel channel, String contactPoints, Map<String, Object> params) {
        var query = em.createNativeQuery("""
                with answered as (
                    insert into answer (incident_id, incident_update_id, subscriber_id, option_code, channel, answered_at,
                                        still_affected)
                    select distinct n.incident_id, n.incident_update_id, n.subscriber_id, cast(:code as varchar),
                           cast(:channel as varchar), cast(:now as timestamptz), cast(:stillAffected as boolean)
                    from notification n join contact_point cp on cp.id = n.contact_point_id
                    where n.incident_update_id = :update and %s
                    on conflict (incident_update_id, subscriber_id)
                        do update set option_code = excluded.option_code, channel = excluded.channel,
                                      answered_at = excluded.answered_at, still_affected = excluded.still_affected
                    returning subscriber_id)
                select s.external_ref from answered a join subscriber s on s.id = a.subscriber_id""".formatted(contactPoints))
                .setParameter("code", offer.code()).setParameter("channel", channel.name())
                .setParameter("now", Timestamp.from(clock.instant())).setParameter("update", offer.updateId())
                .setParameter("stillAffected", offer.stillAffected());
        params.forEach(query::setParameter);
        for (String subscriber : (List<String>) query.getResultList()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("subscriber", subscriber);
            data.put("channel", channel.wire());
            data.put("updateSeq", offer.updateSeq());
            data.put("option", offer.code());
            data.put("label", offer.label());
            data.put("stillAffected", offer.stillAffected());
            events.record("answer.recorded", offer.incidentKey(), data);
        }
        recorded.fire(new AnswerRecorded(offer.incidentId(), offer.incidentKey(), offer.updateSeq(), offer.code(),
                offer.stillAffected()));
    }

    /** Kept with the incident the number last heard about (if any) and published. */
    @SuppressWarnings("unchecked")
    private void storeFreeReply(String from, String text) {
        List<Object[]> rows = em.createNativeQuery("""
                with sender as (
                    select cp.subscriber_id, n.incident_id
                    from contact_point cp left join notification n on n.contact_point_id = cp.id
                         and n.state in ('SENT', 'DELIVERED', 'UNCERTAIN')
                    where cp.channel = 'SMS' and cp.address = ?1
                    order by n.incident_update_id desc nulls last limit 1),
                stored as (
                    insert into free_reply (incident_id, subscriber_id, channel, body, received_at)
                    select (select incident_id from sender), (select subscriber_id from sender), 'SMS', ?2, ?3
                    returning incident_id, subscriber_id)
                select i.incident_key, s.external_ref from stored
                left join incident i on i.id = stored.incident_id left join subscriber s on s.id = stored.subscriber_id""")
                .setParameter(1, from).setParameter(2, text).setParameter(3, Timestamp.from(clock.instant()))
                .getResultList();
        Object[] stored = rows.get(0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriber", stored[1]);
        data.put("channel", Channel.SMS.wire());
        data.put("text", text);
        events.record("reply.received", (String) stored[0], data);
        LOG.infof("A free reply from %s (%d characters) was stored", Masking.phone(from), text.length());
    }

    /** Erasure: what the subscriber wrote goes; that they wrote stays, as a count. */
    void dropReplies(@Observes SubscriberErased erased) {
        em.createNativeQuery("update free_reply set body = null where subscriber_id = ?1")
                .setParameter(1, erased.subscriberId()).executeUpdate();
    }
}
