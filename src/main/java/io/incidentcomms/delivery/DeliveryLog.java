package io.incidentcomms.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.SubscriberErased;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/** Who was told what and when, per incident: the delivery log and its summary. */
@ApplicationScoped
public class DeliveryLog {

    static final List<String> STATES = List.of("PLANNED", "SENDING", "SENT", "DELIVERED", "FAILED", "SUPPRESSED",
            "SUPERSEDED", "UNCERTAIN");

    /** Stands where the recipient's own link token was in a stored text (the token itself is not kept). */
    static final String TOKEN_PLACEHOLDER = "[link-token]";
    /** Stands where the recipient's short link id was in a stored SMS (a live link to their message). */
    static final String LINK_PLACEHOLDER = "[link]";
    /** Stands where the recipient's goodwill code was; the log shows each recipient's code beside it. */
    static final String GOODWILL_PLACEHOLDER = "[goodwill-code]";

    /**
     * {@code subject} and {@code text}: what was sent (emails as their text part), once it was sent;
     * {@code goodwillCode}: the recipient's own code, where the update offered one.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Delivery(long id, int updateSeq, String subscriber, String channel, String address, String state,
            int attempts, Instant createdAt, Instant sentAt, String lastError, String subject, String text,
            String goodwillCode) {
    }

    public record Page(List<Delivery> items, int page, int size, long total) {
    }

    /** Counts per channel and state; every state is listed, zero or not. */
    public record Summary(String incidentKey, Map<String, Map<String, Long>> perChannel, long total) {
    }

    private final EntityManager em;
    private final IncidentQueries incidents;

    DeliveryLog(EntityManager em, IncidentQueries incidents) {
        this.em = em;
        this.incidents = incidents;
    }

    /** Erasure: the texts sent to the subscriber and the providers' words about them go; the anonymous records stay. */
    void dropTexts(@Observes SubscriberErased erased) {
        em.createNativeQuery("update notification set sent_text = null, last_error = null where subscriber_id = ?1")
                .setParameter(1, erased.subscriberId()).executeUpdate();
    }

    @Transactional
    public Summary summary(String key) {
        return progress(key, java.time.Instant.EPOCH).summary();
    }

    /** One message meant for a subscriber: which incident and update, the channel, how it went. */
    public record SubscriberMessage(String incidentKey, int updateSeq, String channel, String state, Instant createdAt,
            Instant sentAt) {
    }

    /** The latest notifications meant for a subscriber (by external ref), newest first. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<SubscriberMessage> ofSubscriber(String externalRef, int limit) {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, u.seq, n.channel, n.state, n.created_at, n.sent_at
                from notification n join subscriber s on s.id = n.subscriber_id
                join incident i on i.id = n.incident_id join incident_update u on u.id = n.incident_update_id
                where s.external_ref = ?1 and s.erased_at is null order by n.id desc limit ?2""",
                Tuple.class).setParameter(1, externalRef).setParameter(2, limit).getResultList())
                .stream().map(r -> new SubscriberMessage(r.get("incident_key", String.class), r.get("seq", Number.class).intValue(),
                        r.get("channel", String.class).toLowerCase(), r.get("state", String.class).toLowerCase(),
                        SqlTimes.instant(r.get("created_at")), SqlTimes.instant(r.get("sent_at"))))
                .toList();
    }

    /** The counts per channel and state, and per channel how many were sent since {@code since} (the rate). */
    public record Progress(Summary summary, Map<String, Long> sentSince) {
    }

    /** {@link #summary} and the recent sends in one pass over the incident's notifications. */
    @Transactional
    public Progress progress(String key, java.time.Instant since) {
        long incidentId = incidents.audienceTarget(key).incidentId();
        Map<String, Map<String, Long>> perChannel = new LinkedHashMap<>();
        Map<String, Long> sentSince = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            Map<String, Long> states = new LinkedHashMap<>();
            STATES.forEach(state -> states.put(state.toLowerCase(), 0L));
            perChannel.put(channel.wire(), states);
            sentSince.put(channel.wire(), 0L);
        }
        long total = 0;
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                select channel, state, count(*) as notifications, count(*) filter (where sent_at >= ?2) as recent
                from notification where incident_id = ?1 group by channel, state""", Tuple.class)
                .setParameter(1, incidentId).setParameter(2, java.sql.Timestamp.from(since)).getResultList();
        for (Tuple row : rows) {
            String channel = row.get("channel", String.class).toLowerCase();
            long count = row.get("notifications", Number.class).longValue();
            perChannel.get(channel).put(row.get("state", String.class).toLowerCase(), count);
            sentSince.merge(channel, row.get("recent", Number.class).longValue(), Long::sum);
            total += count;
        }
        return new Progress(new Summary(key, perChannel, total), sentSince);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Page deliveries(String key, String state, String channel, int page, int size) {
        long incidentId = incidents.audienceTarget(key).incidentId();
        String where = " where n.incident_id = ?1 and (cast(?2 as varchar) is null or n.state = ?2)"
                + " and (cast(?3 as varchar) is null or n.channel = ?3)";
        String stateFilter = state == null ? null : state.toUpperCase();
        String channelFilter = channel == null ? null : channel.toUpperCase();
        long total = ((Number) em.createNativeQuery("select count(*) from notification n" + where)
                .setParameter(1, incidentId).setParameter(2, stateFilter).setParameter(3, channelFilter)
                .getSingleResult()).longValue();
        List<Tuple> rows = em.createNativeQuery("""
                select n.id, u.seq, s.external_ref, n.channel, cp.address, n.state, n.attempts, n.created_at, n.sent_at,
                       n.last_error, v.subject, v.body, case when u.goodwill is not null then g.code end as goodwill_code
                from notification n
                left join message_variant v on v.id = n.variant_id
                join incident_update u on u.id = n.incident_update_id
                join subscriber s on s.id = n.subscriber_id
                join contact_point cp on cp.id = n.contact_point_id
                left join goodwill_code g on g.incident_id = n.incident_id and g.subscriber_id = n.subscriber_id""" + where
                + " order by n.id limit ?4 offset ?5", Tuple.class)
                .setParameter(1, incidentId).setParameter(2, stateFilter).setParameter(3, channelFilter)
                .setParameter(4, size).setParameter(5, (long) page * size).getResultList();
        List<Delivery> items = rows.stream().map(r -> {
            Channel c = Channel.valueOf(r.get("channel", String.class));
            return new Delivery(r.get("id", Number.class).longValue(), r.get("seq", Number.class).intValue(),
                    r.get("external_ref", String.class), c.wire(), Masking.address(c, r.get("address", String.class)),
                    r.get("state", String.class).toLowerCase(), r.get("attempts", Number.class).intValue(),
                    SqlTimes.instant(r.get("created_at")), SqlTimes.instant(r.get("sent_at")),
                    r.get("last_error", String.class), r.get("subject", String.class), r.get("body", String.class),
                    r.get("goodwill_code", String.class));
        }).toList();
        return new Page(items, page, size, total);
    }
}
