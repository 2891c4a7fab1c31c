package io.incidentcomms.delivery;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.incidentcomms.audience.SubscriberErased;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * An incident's pool of single-use goodwill codes. When an update with a goodwill offer is
 * planned, each subscriber it reaches who has no code yet gets the next free one, in the planning
 * transaction, so no code goes to two people and nobody gets two; those beyond the pool get the
 * offer without a code. Erasing a subscriber retires their code: it is no longer theirs, and
 * never anyone else's (a code file imported again does not bring it back). Codes are letters,
 * digits, '-' and '_' only, so a code can neither carry markup into an email nor change how an
 * SMS is encoded.
 */
@ApplicationScoped
public class GoodwillCodes {

    static final int MAX_CODE = 64;

    public record PoolSize(long added, long free, long given) {
    }

    private final EntityManager em;
    private final Clock clock;

    GoodwillCodes(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** Adds codes (one per line; blank lines and repeats ignored) to the incident's pool. */
    @Transactional
    public PoolSize add(long incidentId, List<String> lines) {
        Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).strip();
            if (code.isEmpty()) {
                continue;
            }
            if (code.length() > MAX_CODE || !code.matches("[A-Za-z0-9_-]+")) {
                throw ProblemException.invalidField("line " + (i + 1),
                        "a code is 1-" + MAX_CODE + " letters, digits, '-' or '_'");
            }
            codes.add(code);
        }
        int added = em.createNativeQuery("""
                insert into goodwill_code (incident_id, code)
                select ?1, c from unnest(cast(?2 as varchar[])) as c
                on conflict (incident_id, code) do nothing""")
                .setParameter(1, incidentId).setParameter(2, codes.toArray(String[]::new)).executeUpdate();
        int longest = codes.stream().mapToInt(String::length).max().orElse(0);
        em.createNativeQuery("""
                insert into goodwill_pool (incident_id, longest) values (?1, ?2)
                on conflict (incident_id) do update set longest = greatest(goodwill_pool.longest, excluded.longest)""")
                .setParameter(1, incidentId).setParameter(2, longest).executeUpdate();
        return new PoolSize(added, free(incidentId), given(incidentId));
    }

    @Transactional
    public long free(long incidentId) {
        return count("subscriber_id is null and retired_at is null", incidentId);
    }

    /** Codes given to someone (including those whose owner was erased since). */
    @Transactional
    public long given(long incidentId) {
        return count("(subscriber_id is not null or retired_at is not null)", incidentId);
    }

    private long count(String condition, long incidentId) {
        return ((Number) em.createNativeQuery("select count(*) from goodwill_code where incident_id = ?1 and " + condition)
                .setParameter(1, incidentId).getSingleResult()).longValue();
    }

    /**
     * Gives a code to each subscriber the update's notifications reach who has none yet, in
     * subscriber order, as far as the pool goes. Runs in the planning transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int assign(long updateId, long incidentId) {
        return em.createNativeQuery("""
                with needing as (
                    select s.subscriber_id, row_number() over (order by s.subscriber_id) as n
                    from (select distinct subscriber_id from notification where incident_update_id = ?1) s
                    where not exists (select 1 from goodwill_code g where g.incident_id = ?2 and g.subscriber_id = s.subscriber_id)),
                free as (
                    select id from goodwill_code where incident_id = ?2 and subscriber_id is null and retired_at is null
                    order by id for update skip locked),
                numbered as (select id, row_number() over (order by id) as n from free)
                update goodwill_code g set subscriber_id = needing.subscriber_id, assigned_at = ?3
                from numbered join needing on needing.n = numbered.n
                where g.id = numbered.id""")
                .setParameter(1, updateId).setParameter(2, incidentId).setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate();
    }

    /** The longest code in the pool: renderings reserve that much room for it. */
    @Transactional
    public int longest(long incidentId) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("select longest from goodwill_pool where incident_id = ?1")
                .setParameter(1, incidentId).getResultList();
        return rows.isEmpty() ? 0 : rows.get(0).intValue();
    }

    /** Erasure: the code is no longer the subscriber's, and is never given to anyone else. */
    void erase(@Observes SubscriberErased erased) {
        em.createNativeQuery("""
                update goodwill_code set subscriber_id = null, retired_at = ?2 where subscriber_id = ?1""")
                .setParameter(1, erased.subscriberId()).setParameter(2, Timestamp.from(clock.instant())).executeUpdate();
    }
}
