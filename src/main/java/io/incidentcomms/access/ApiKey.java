package io.incidentcomms.access;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** An API key, stored as the SHA-256 of its secret only. */
@Entity
public class ApiKey extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String keyHash;
    @Enumerated(EnumType.STRING)
    public Role role;
    public Instant createdAt;
    public String createdBy;
    public Instant revokedAt;

    static Optional<ApiKey> findActiveByHash(String hash) {
        return find("keyHash = ?1 and revokedAt is null", hash).firstResultOptional();
    }

    static Optional<ApiKey> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
