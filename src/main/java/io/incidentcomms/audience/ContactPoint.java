package io.incidentcomms.audience;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** An email address or an E.164 phone number of a subscriber, with its consent and opt-out state. */
@Entity
public class ContactPoint extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Long subscriberId;
    @Enumerated(EnumType.STRING)
    public Channel channel;
    public String address;
    public boolean verified;
    public Instant consentAt;
    public String consentSource;
    public Instant optedOutAt;
    public String optedOutVia;
    public Instant bouncedAt;
    /** Soft bounces the provider reported since the address last took a message. */
    public int softBounces;
    public Instant createdAt;
    public Instant updatedAt;

    public static List<ContactPoint> of(Subscriber subscriber) {
        return list("subscriberId = ?1 order by channel", subscriber.id);
    }
}
