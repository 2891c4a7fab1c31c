package io.incidentcomms.cadence;

import java.time.Instant;
import java.util.List;

import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/** The deadlines that fire next (nudges, holding updates, notices, follow-ups), soonest first. */
@ApplicationScoped
public class UpcomingDeadlines {

    public record Upcoming(String incidentKey, String incidentTitle, String kind, Instant dueAt, int attempts) {
    }

    private final EntityManager em;

    UpcomingDeadlines(EntityManager em) {
        this.em = em;
    }

    /** The deadlines one incident has set, soonest first (the owner's nudge, a holding update, notices). */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Upcoming> of(String incidentKey) {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, i.title, d.kind, d.due_at, d.attempts
                from cadence_deadline d join incident i on i.id = d.incident_id
                where i.incident_key = ?1 and d.fired_at is null and d.cancelled_at is null order by d.due_at, d.id""",
                Tuple.class).setParameter(1, incidentKey).getResultList()).stream().map(UpcomingDeadlines::upcoming).toList();
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<Upcoming> next(int limit) {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, i.title, d.kind, d.due_at, d.attempts
                from cadence_deadline d join incident i on i.id = d.incident_id
                where d.fired_at is null and d.cancelled_at is null order by d.due_at, d.id limit ?1""", Tuple.class)
                .setParameter(1, limit).getResultList()).stream().map(UpcomingDeadlines::upcoming).toList();
    }

    private static Upcoming upcoming(Tuple r) {
        return new Upcoming(r.get("incident_key", String.class), r.get("title", String.class),
                r.get("kind", String.class).toLowerCase().replace('_', ' '), SqlTimes.instant(r.get("due_at")),
                r.get("attempts", Number.class).intValue());
    }
}
