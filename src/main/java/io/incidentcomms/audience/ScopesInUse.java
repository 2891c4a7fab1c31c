package io.incidentcomms.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * The scopes subscribers subscribe to most, for ops to pick from when they declare: counted over
 * every subscriber while there are few, over a sample of about 100k rows beyond that (so the counts
 * are then estimates), and kept for five minutes.
 */
@ApplicationScoped
public class ScopesInUse {

    static final int SHOWN = 20;
    static final long SAMPLED_ROWS = 100_000;
    static final Duration KEPT = Duration.ofMinutes(5);

    /** A scope and about how many subscribers hear about it. */
    public record InUse(String scope, long subscribers) {
    }

    private record Counted(Instant at, List<InUse> scopes) {
    }

    private final EntityManager em;
    private final Clock clock;
    private volatile Counted counted;

    ScopesInUse(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public List<InUse> mostUsed() {
        Counted last = counted;
        if (last != null && last.at().plus(KEPT).isAfter(clock.instant())) {
            return last.scopes();
        }
        long rows = ((Number) em.createNativeQuery(
                "select greatest(reltuples, 0)::bigint from pg_class where oid = 'subscriber'::regclass").getSingleResult())
                .longValue();
        double percent = rows <= SAMPLED_ROWS ? 100 : 100.0 * SAMPLED_ROWS / rows;
        double scale = 100 / percent;
        @SuppressWarnings("unchecked")
        List<Tuple> found = em.createNativeQuery((percent >= 100
                ? "select scope, count(*) as subscribers from (select unnest(scopes) as scope from subscriber where erased_at is null) s"
                : "select scope, count(*) as subscribers from (select unnest(scopes) as scope from subscriber tablesample system ("
                        + percent + ") where erased_at is null) s")
                + " group by scope order by subscribers desc, scope limit " + SHOWN, Tuple.class).getResultList();
        List<InUse> scopes = found.stream().map(r -> new InUse(r.get("scope", String.class),
                Math.round(r.get("subscribers", Number.class).longValue() * scale))).toList();
        counted = new Counted(clock.instant(), scopes);
        return scopes;
    }
}
