package io.incidentcomms.audience;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

@Entity
public class Subscriber extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String externalRef;
    public String name;
    public String locale;
    public String timeZone;
    @Enumerated(EnumType.STRING)
    public Tier tier;
    public LocalTime quietStart;
    public LocalTime quietEnd;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> channelPreference = new ArrayList<>();
    /** Scope patterns subscribed to: exact, whole kind ({@code region:*}) or everything ({@code *}). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes = new ArrayList<>();
    public Instant createdAt;
    public Instant updatedAt;
    public Instant erasedAt;

    public static Optional<Subscriber> findByRef(String externalRef) {
        return find("externalRef = ?1 and erasedAt is null", externalRef).firstResultOptional();
    }
}
