package io.incidentcomms.feedback;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.SubscriberErased;
import io.incidentcomms.events.OutboundEvents;
import io.incidentcomms.incident.MessageOption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * What customers answer. An option code is matched to the options open now on each incident the
 * contact point received a message about within the reply window: when exactly one incident has
 * it open, it is the answer (recorded against the latest update they received); when several do,
 * nothing is recorded and the customer is asked which one ({@code CODE INCIDENT-KEY}); when the
 * option was withdrawn, they hear so and what is open now; otherwise the text is kept as a free
 * reply. Answers and free replies are published on {@code incident-events}.
 */
@ApplicationScoped
public class Answers {

    private static final Logger LOG = Logger.getLogger(Answers.class);

    /**
     * An option open now on an incident the contact point heard about, and the latest update of it
     * they received (the answer is recorded against that update).
     */
    public record Offer(long incidentId, String incidentKey, Map<String, String> title, String defaultLocale,
            long updateId, int updateSeq, MessageOption option) {

        public String code() {
            return option.code();
        }
    }

    /** A code an incident offered once but no longer does, with what it offers now. */
    public record Withdrawn(String incidentKey, Map<String, String> title, String defaultLocale, String code,
            List<MessageOption> open) {
    }

    /** What became of an SMS reply. */
    public sealed interface Reply {
    }

    public record Answered(Offer offer) implements Reply {
    }

    /** The code fits options of several incidents: the customer is asked which one. */
    public record Ambiguous(List<Offer> offers) implements Reply {
    }

    /** The code named an option that was withdrawn: nothing is recorded, and the customer hears what is open. */
    public record NoLongerOffered(Withdrawn withdrawn) implements Reply {
    }

    public record FreeReply() implements Reply {
    }

    /** What an email's option link finds: the option open, withdrawn since, or never offered to them. */
    public sealed interface LinkChoice {
    }

    public record Open(Offer offer) implements LinkChoice {
    }

    public record Closed(Withdrawn withdrawn) implements LinkChoice {
    }

    public record Unknown() implements LinkChoice {
    }

    /** One incident the contact point heard about within the window, as the offers query reads it. */
    private record Heard(long incidentId, String incidentKey, Map<String, String> title, long updateId, int updateSeq,
            String defaultLocale, List<MessageOption> open, boolean offeredOnce) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final FeedbackConfig config;
    private final OutboundEvents events;
    private final Event<AnswerRecorded> recorded;
    private final ObjectMapper mapper;

    Answers(EntityManager em, Clock clock, FeedbackConfig config, OutboundEvents events, Event<AnswerRecorded> recorded,
            ObjectMapper mapper) {
        this.mapper = mapper;
        this.recorded = recorded;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.events = events;
    }

    /** A reply to our SMS that is no carrier keyword: an answer if it is an option code open to them, else a free reply. */
    @Transactional
    public Reply smsReply(String from, SmsReplyText reply) {
        if (reply instanceof SmsReplyText.OptionCode code) {
            List<Heard> heard = heard("cp.channel = 'SMS' and cp.address = :address", Map.of("address", from),
                    code.code(), code.incident());
            List<Offer> offers = offers(heard, code.code());
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
            Optional<Withdrawn> withdrawn = withdrawn(heard, code.code());
            if (withdrawn.isPresent()) {
                return new NoLongerOffered(withdrawn.get());
            }
        }
        storeFreeReply(from, reply.text());
        return new FreeReply();
    }

    /** What the option an email link stands for is now, for the contact point the link was made for. */
    @Transactional
    public LinkChoice emailChoice(long contactPointId, long incidentId, String code) {
        if (!SmsReplyText.isCode(code)) {
            return new Unknown();
        }
        List<Heard> heard = heard("cp.id = :contactPoint and n.incident_id = :incident",
                Map.of("contactPoint", contactPointId, "incident", incidentId), code, null);
        Optional<Offer> offer = offers(heard, code).stream().findFirst();
        if (offer.isPresent()) {
            return new Open(offer.get());
        }
        return withdrawn(heard, code).<LinkChoice>map(Closed::new).orElse(new Unknown());
    }

    /** Records the choice made on the page behind an email's option link, if the option is open. */
    @Transactional
    public LinkChoice answerByEmail(long contactPointId, long incidentId, String code) {
        LinkChoice choice = emailChoice(contactPointId, incidentId, code);
        if (choice instanceof Open open) {
            record(open.offer(), Channel.EMAIL, "cp.id = :contactPoint", Map.of("contactPoint", contactPointId));
        }
        return choice;
    }

    private static List<Offer> offers(List<Heard> heard, String code) {
        String wanted = code.toUpperCase(Locale.ROOT);
        List<Offer> offers = new ArrayList<>();
        for (Heard h : heard) {
            h.open().stream().filter(o -> o.code().equalsIgnoreCase(wanted)).findFirst().ifPresent(option -> offers.add(
                    new Offer(h.incidentId(), h.incidentKey(), h.title(), h.defaultLocale(), h.updateId(), h.updateSeq(),
                            option)));
        }
        return offers;
    }

    private static Optional<Withdrawn> withdrawn(List<Heard> heard, String code) {
        return heard.stream().filter(Heard::offeredOnce).findFirst().map(h -> new Withdrawn(h.incidentKey(), h.title(),
                h.defaultLocale(), code.toUpperCase(Locale.ROOT), h.open()));
    }

    /**
     * The incidents the matching contact points heard about within the reply window (and, if
     * given, the one with that key): the latest update of each they received, the options open
     * now, and whether the incident ever offered {@code code}.
     */
    @SuppressWarnings("unchecked")
    private List<Heard> heard(String contactPoints, Map<String, Object> params, String code, String incidentKey) {
        var query = em.createNativeQuery("""
                with received as (
                    select distinct on (n.incident_id) n.incident_id, n.incident_update_id
                    from notification n join contact_point cp on cp.id = n.contact_point_id
                    where %s and n.state in ('SENT', 'DELIVERED', 'UNCERTAIN') and coalesce(n.sent_at, n.updated_at) >= :since
                    order by n.incident_id, n.incident_update_id desc)
                select i.id, i.incident_key, cast(i.titles as text) as titles, u.id as update_id, u.seq, u.default_locale,
                       cast(i.options as text) as open_options,
                       exists (select 1 from incident_update pu cross join lateral jsonb_array_elements(pu.options) o
                               where pu.incident_id = i.id and pu.status = 'PUBLISHED' and upper(o ->> 'code') = :code)
                           as offered_once
                from received r join incident i on i.id = r.incident_id
                join incident_update u on u.id = r.incident_update_id
                where cast(:incidentKey as varchar) is null or upper(i.incident_key) = :incidentKey
                order by r.incident_update_id desc""".formatted(contactPoints), Tuple.class)
                .setParameter("since", Timestamp.from(clock.instant().minus(config.replyWindow())))
                .setParameter("code", code.toUpperCase(Locale.ROOT))
                .setParameter("incidentKey", incidentKey == null ? null : incidentKey.toUpperCase(Locale.ROOT));
        params.forEach(query::setParameter);
        List<Tuple> rows = query.getResultList();
        return rows.stream().map(r -> new Heard(((Number) r.get("id")).longValue(), r.get("incident_key", String.class),
                json(r.get("titles", String.class), new TypeReference<Map<String, String>>() {
                }), ((Number) r.get("update_id")).longValue(), ((Number) r.get("seq")).intValue(),
                r.get("default_locale", String.class), json(r.get("open_options", String.class),
                        new TypeReference<List<MessageOption>>() {
                        }), r.get("offered_once", Boolean.class))).toList();
    }

    private <T> T json(String text, TypeReference<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON cannot be read", e);
        }
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
                .setParameter("stillAffected", offer.option().stillAffected());
        params.forEach(query::setParameter);
        for (String subscriber : (List<String>) query.getResultList()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("subscriber", subscriber);
            data.put("channel", channel.wire());
            data.put("updateSeq", offer.updateSeq());
            data.put("option", offer.code());
            data.put("label", offer.option().labelIn(offer.defaultLocale()));
            data.put("stillAffected", offer.option().stillAffected());
            events.record("answer.recorded", offer.incidentKey(), data);
        }
        recorded.fire(new AnswerRecorded(offer.incidentId(), offer.incidentKey(), offer.updateSeq(), offer.code(),
                offer.option().stillAffected()));
    }

    /** Kept with the incident the number last heard about (if any) and published. */
    @SuppressWarnings("unchecked")
    private void storeFreeReply(String from, String text) {
        List<Tuple> rows = em.createNativeQuery("""
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
                left join incident i on i.id = stored.incident_id left join subscriber s on s.id = stored.subscriber_id""",
                Tuple.class)
                .setParameter(1, from).setParameter(2, text).setParameter(3, Timestamp.from(clock.instant()))
                .getResultList();
        Tuple stored = rows.get(0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriber", stored.get("external_ref", String.class));
        data.put("channel", Channel.SMS.wire());
        data.put("text", text);
        events.record("reply.received", stored.get("incident_key", String.class), data);
        LOG.infof("A free reply from %s (%d characters) was stored", Masking.phone(from), text.length());
    }

    /** Erasure: what the subscriber wrote goes; that they wrote stays, as a count. */
    void dropReplies(@Observes SubscriberErased erased) {
        em.createNativeQuery("update free_reply set body = null where subscriber_id = ?1")
                .setParameter(1, erased.subscriberId()).executeUpdate();
    }
}
