package io.incidentcomms.statuspage;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.Incident;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.UpdatePublished;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * Each catalog component's status, and every change of it. A component is as bad as the worst
 * open public incident touching it says: the status an update set for it explicitly, else its
 * severity (critical → major outage, major → partial outage, minor → degraded performance);
 * planned work in progress puts it under maintenance, planned work not started yet does nothing.
 * Recomputed in the transaction that publishes an update, and when the catalog changes; a change
 * is kept as a row of {@code component_status_change}, from which history and uptime are computed.
 */
@ApplicationScoped
public class ComponentStatuses {

    /** A status that began at {@code since}. */
    public record Change(ComponentStatus status, Instant since) {
    }

    private final EntityManager em;
    private final Clock clock;

    ComponentStatuses(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    void onPublished(@Observes UpdatePublished published) {
        recompute(published.at());
    }

    /** Recomputes every component's status as of now, keeping a row for each that changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recompute(Instant at) {
        List<Incident> open = Incident.list("publicFacing = true and state not in ?1",
                List.of(IncidentState.RESOLVED, IncidentState.COMPLETED, IncidentState.CANCELLED));
        Map<String, ComponentStatus> current = current();
        for (Component component : Component.<Component>listAll()) {
            ComponentStatus status = ComponentStatus.OPERATIONAL;
            for (Incident incident : open) {
                status = status.worse(statusFrom(incident, component.scope));
            }
            if (status != current.get(component.scope)) {
                em.createNativeQuery("insert into component_status_change (scope, status, since) values (?1, ?2, ?3)")
                        .setParameter(1, component.scope).setParameter(2, status.wire())
                        .setParameter(3, Timestamp.from(at)).executeUpdate();
            }
        }
    }

    /** Recomputes now, in a transaction of its own (a catalog change). */
    @Transactional
    public void recomputeNow() {
        recompute(clock.instant());
    }

    /** What one open incident says of one component, or null when it does not touch it. */
    static ComponentStatus statusFrom(Incident incident, String scope) {
        String explicit = incident.componentStatuses.get(scope);
        if (explicit != null) {
            return ComponentStatus.fromWire(explicit);
        }
        if (!incident.scopes.contains(scope)) {
            return null;
        }
        if (incident.kind.planned()) {
            return incident.state == IncidentState.IN_PROGRESS ? ComponentStatus.UNDER_MAINTENANCE : null;
        }
        return ComponentStatus.of(incident.severity);
    }

    /** Every component's status now (scope → status); a component never computed is missing. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<String, ComponentStatus> current() {
        Map<String, ComponentStatus> statuses = new HashMap<>();
        List<Tuple> rows = em.createNativeQuery("""
                select distinct on (scope) scope, status from component_status_change
                order by scope, since desc, id desc""", Tuple.class).getResultList();
        rows.forEach(row -> statuses.put(row.get("scope", String.class),
                ComponentStatus.fromWire(row.get("status", String.class))));
        return statuses;
    }

    /**
     * The changes of each component that matter from {@code from} on: the status it had at
     * {@code from} (as a change at {@code from}), then every later one, oldest first.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<String, List<Change>> history(Instant from) {
        List<Tuple> rows = em.createNativeQuery("""
                select scope, status, since from (
                    select scope, status, since, id,
                           row_number() over (partition by scope order by since desc, id desc) as newest
                    from component_status_change where since <= ?1) before
                where newest = 1
                union all
                select scope, status, since from component_status_change where since > ?1
                order by scope, since""", Tuple.class).setParameter(1, Timestamp.from(from)).getResultList();
        Map<String, List<Change>> history = new LinkedHashMap<>();
        for (Tuple row : rows) {
            Instant since = SqlTimes.instant(row.get("since"));
            history.computeIfAbsent(row.get("scope", String.class), k -> new java.util.ArrayList<>())
                    .add(new Change(ComponentStatus.fromWire(row.get("status", String.class)),
                            since.isBefore(from) ? from : since));
        }
        return history;
    }
}
