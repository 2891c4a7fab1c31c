package io.incidentcomms.incident;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** The global kill switch for outgoing customer messages (a single row). */
@Entity
public class MessagingControl extends PanacheEntityBase {
    @Id
    public Integer id;
    public boolean paused;
    public Instant changedAt;
    public String changedBy;

    static MessagingControl get() {
        return findById(1);
    }
}
