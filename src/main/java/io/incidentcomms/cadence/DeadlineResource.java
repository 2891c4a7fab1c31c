package io.incidentcomms.cadence;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Deadlines that failed to fire: waiting for a retry, or set aside with their error. */
@Tag(name = ApiDocument.INCIDENTS)
@Path("/api/deadlines/failing")
@RolesAllowed(Role.OPS_NAME)
public class DeadlineResource {

    /** A deadline that failed, as ops see it. */
    public record Failing(String incidentKey, String kind, int attempts, String lastError, Instant nextAttemptAt,
            Instant failedAt) {
    }

    private final EntityManager em;

    DeadlineResource(EntityManager em) {
        this.em = em;
    }

    @GET
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Failing> failing() {
        return ((List<Tuple>) em.createNativeQuery("""
                select i.incident_key, d.kind, d.attempts, d.last_error,
                       case when d.failed_at is null then d.due_at end as next_attempt_at, d.failed_at
                from cadence_deadline d join incident i on i.id = d.incident_id
                where d.attempts > 0 and d.fired_at is null and d.cancelled_at is null order by d.id""", Tuple.class)
                .getResultList())
                .stream().map(r -> new Failing(r.get("incident_key", String.class), r.get("kind", String.class).toLowerCase(),
                        r.get("attempts", Number.class).intValue(), r.get("last_error", String.class),
                        SqlTimes.instant(r.get("next_attempt_at")), SqlTimes.instant(r.get("failed_at"))))
                .toList();
    }
}
