package io.incidentcomms.audit;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

@Entity
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Instant occurredAt;
    public String actor;
    public String action;
    public String target;
    public String detail;

    public static List<AuditEntry> forTarget(String target) {
        return list("target = ?1 order by occurredAt, id", target);
    }
}
