package io.incidentcomms.delivery;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.incidentcomms.audience.SubscriberErased;
import io.incidentcomms.feedback.FeedbackConfig;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * The short links SMS carry to their recipient's full message: {@code /m/<id>}, one per
 * notification, with an id of 8 letters and digits from a secure random source (62^8, about
 * 2·10^14: not guessable). A link lives as long as answers to its message are taken (the reply
 * window) and is deleted when its subscriber is erased.
 */
@ApplicationScoped
public class ShortLinks {

    /** Stands for the id in a text rendered once for many recipients: as long as an id, in GSM-7. */
    static final String SLOT = "Zq0Sl0Tz";
    static final int LENGTH = 8;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** A notification that needs a link, and whose it is. */
    record Owner(long notificationId, long subscriberId) {
    }

    /** What a link points at, and until when. */
    public record Target(long notificationId, Instant expiresAt, boolean expired) {
    }

    private final SecureRandom random = new SecureRandom();
    private final EntityManager em;
    private final Clock clock;
    private final FeedbackConfig feedback;

    ShortLinks(EntityManager em, Clock clock, FeedbackConfig feedback) {
        this.em = em;
        this.clock = clock;
        this.feedback = feedback;
    }

    /** The link id of each notification, made where it has none yet (a retry keeps its first one). */
    Map<Long, String> idsFor(List<Owner> owners) {
        if (owners.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.instant();
        Long[] notificationIds = owners.stream().map(Owner::notificationId).toArray(Long[]::new);
        Map<Long, String> ids = new HashMap<>();
        for (int round = 0; round < 5 && ids.size() < owners.size(); round++) {
            List<Owner> missing = owners.stream().filter(o -> !ids.containsKey(o.notificationId())).toList();
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                    insert into short_link (id, notification_id, subscriber_id, created_at, expires_at)
                    select l.id, l.notification_id, l.subscriber_id, ?4, ?5
                    from unnest(cast(?1 as varchar[]), cast(?2 as bigint[]), cast(?3 as bigint[]))
                         as l(id, notification_id, subscriber_id)
                    on conflict do nothing""")
                    .setParameter(1, missing.stream().map(o -> newId()).toArray(String[]::new))
                    .setParameter(2, missing.stream().map(Owner::notificationId).toArray(Long[]::new))
                    .setParameter(3, missing.stream().map(Owner::subscriberId).toArray(Long[]::new))
                    .setParameter(4, Timestamp.from(now)).setParameter(5, Timestamp.from(now.plus(feedback.replyWindow())))
                    .executeUpdate());
            ids.putAll(existing(notificationIds));
        }
        if (ids.size() < owners.size()) {
            throw new IllegalStateException("Could not make short links for " + (owners.size() - ids.size())
                    + " notification(s)");
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private Map<Long, String> existing(Long[] notificationIds) {
        Map<Long, String> ids = new HashMap<>();
        QuarkusTransaction.requiringNew().call(() -> (List<Tuple>) em.createNativeQuery(
                "select notification_id, id from short_link where notification_id = any(cast(?1 as bigint[]))", Tuple.class)
                .setParameter(1, notificationIds).getResultList())
                .forEach(r -> ids.put(r.get("notification_id", Number.class).longValue(), r.get("id", String.class)));
        return ids;
    }

    /** The notification a link stands for; empty for an id that was never made (or was erased). */
    @SuppressWarnings("unchecked")
    public Optional<Target> resolve(String id) {
        if (id == null || id.length() != LENGTH || !id.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select notification_id, expires_at from short_link where id = ?1", Tuple.class).setParameter(1, id)
                .getResultList());
        return rows.stream().findFirst().map(r -> new Target(r.get("notification_id", Number.class).longValue(),
                SqlTimes.instant(r.get("expires_at")), !clock.instant().isBefore(SqlTimes.instant(r.get("expires_at")))));
    }

    private String newId() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }

    /** Erasure: the links to what the subscriber was sent go with them. */
    void erase(@Observes SubscriberErased erased) {
        em.createNativeQuery("delete from short_link where subscriber_id = ?1").setParameter(1, erased.subscriberId())
                .executeUpdate();
    }
}
