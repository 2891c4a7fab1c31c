package io.incidentcomms.platform.idempotency;

import java.io.Serializable;
import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

@Entity
@IdClass(IdempotentRequest.Id.class)
public class IdempotentRequest extends PanacheEntityBase {
    @jakarta.persistence.Id
    public String principal;
    @jakarta.persistence.Id
    public String idempotencyKey;
    public String requestHash;
    public Integer responseStatus;
    public String responseBody;
    public Instant createdAt;

    public record Id(String principal, String idempotencyKey) implements Serializable {
    }
}
