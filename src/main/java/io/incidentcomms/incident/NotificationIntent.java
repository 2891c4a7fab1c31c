package io.incidentcomms.incident;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** "This published update's audience must be told": the hand-off from incidents to delivery. */
@Entity
public class NotificationIntent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Long incidentUpdateId;
    public Long incidentId;
    public Instant createdAt;
    public Instant plannedAt;
    /** The publishing request's span as a W3C traceparent; null when tracing is off. */
    public String traceParent;
}
