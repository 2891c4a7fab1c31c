package io.incidentcomms.events;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event for {@code incident-events}, written in the transaction of the change it describes. */
@Entity
@Table(name = "event_outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID eventId;
    public String eventType;
    public String incidentKey;
    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;
    public Instant createdAt;
    public Instant publishedAt;
    public int attempts;
    public Instant claimedUntil;
}
