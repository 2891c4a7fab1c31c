package io.incidentcomms.audit;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Records every ops action (declare, publish, pause, key management) with who and when. */
@ApplicationScoped
public class AuditLog {

    private final Clock clock;

    AuditLog(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Actor actor, String action, String target, String detail) {
        AuditEntry entry = new AuditEntry();
        entry.occurredAt = clock.instant();
        entry.actor = actor.name();
        entry.action = action;
        entry.target = target;
        entry.detail = detail;
        entry.persist();
    }

    @Transactional
    public List<AuditEntryView> forTarget(String target) {
        return AuditEntry.forTarget(target).stream()
                .map(e -> new AuditEntryView(e.occurredAt, e.actor, e.action, e.target, e.detail)).toList();
    }

    public record AuditEntryView(java.time.Instant at, String actor, String action, String target, String detail) {
    }
}
