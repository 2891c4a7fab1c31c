package io.incidentcomms.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

@Entity
public class Incident extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "incident_key", nullable = false, unique = true, updatable = false)
    public String key;

    /** The title in the default locale of the first update (lists, events, the audit log). */
    public String title;

    /** The title per locale, the default one included: messages use the recipient's. */
    @JdbcTypeCode(SqlTypes.JSON)
    public java.util.Map<String, String> titles = new java.util.LinkedHashMap<>();

    /** The public may see it: it touches more than single accounts and customers were told something. */
    public boolean publicFacing;

    /** The options open now: each update repeats them until one withdraws or replaces them. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<MessageOption> options = new ArrayList<>();

    /**
     * Component statuses set explicitly by its updates while it is open (scope → status, wire
     * names): a later update's setting replaces an earlier one's; closing clears them.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    public java.util.Map<String, String> componentStatuses = new java.util.LinkedHashMap<>();

    /** What a Statuspage-style client attached to it (every top-level value an object), kept and answered back. */
    @JdbcTypeCode(SqlTypes.JSON)
    public java.util.Map<String, Object> metadata;

    @Enumerated(EnumType.STRING)
    public IncidentKind kind;

    @Enumerated(EnumType.STRING)
    public Severity severity;

    @Enumerated(EnumType.STRING)
    public IncidentState state;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes = new ArrayList<>();

    /** Subscriber external refs named by the event: told whatever their subscriptions. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> recipients = new ArrayList<>();

    public String ownerName;
    public String ownerEmail;
    public String ownerPhone;

    public Instant startedAt;
    public Instant expectedEndAt;
    public Instant resolvedAt;

    public String source;
    public String externalId;

    /** Kill switch for this incident's outgoing customer messages. */
    public boolean paused;

    /** The promise made in the latest customer message. */
    public Instant nextUpdateBy;

    public Instant createdAt;
    public Instant updatedAt;

    @Version
    public long version;

    public static Optional<Incident> findByKey(String key) {
        return find("key", key).firstResultOptional();
    }

    /** The newest incident with this external id in this source, open or not. */
    public static Optional<Incident> findLatestByExternalId(String source, String externalId) {
        return find("source = ?1 and externalId = ?2 order by createdAt desc, id desc", source, externalId)
                .firstResultOptional();
    }
}
