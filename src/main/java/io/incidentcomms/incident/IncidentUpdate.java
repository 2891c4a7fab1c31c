package io.incidentcomms.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;

/**
 * One entry of an incident's append-only timeline. It carries the four parts of the customer
 * message as data (explain, acknowledge, options, confirm); the templates turn them into text.
 */
@Entity
public class IncidentUpdate extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "incident_id")
    public Incident incident;

    /** Position in the incident's timeline, from 1. */
    public int seq;

    @Enumerated(EnumType.STRING)
    public UpdateStatus status;

    @Enumerated(EnumType.STRING)
    public MessageKind messageKind;

    @Enumerated(EnumType.STRING)
    public IncidentState stateFrom;

    @Enumerated(EnumType.STRING)
    public IncidentState stateTo;

    /** A severity change carried by this update, if any. */
    @Enumerated(EnumType.STRING)
    public Severity severity;

    /** A scope change carried by this update (the new full list), if any. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> scopes;

    /** Facts, per locale (BCP 47 tag → text). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> explain = new LinkedHashMap<>();

    public String defaultLocale;

    /** Shorter facts per locale, for an SMS that would not fit with the full ones. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> explainSms = new LinkedHashMap<>();

    /** Overrides the template's acknowledgement, per locale, when set. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> acknowledge;

    /** The options this update offers: its own, or the incident's open ones when it named none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<MessageOption> options = new ArrayList<>();

    /** The update named no options: it offers the incident's open ones as they are when it is published. */
    public boolean optionsCarried;

    /** The question of the confirm part, per locale; the template's own when absent. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "confirm_question")
    public Map<String, String> confirm;

    /** A goodwill gesture's text per locale (with a code each when the incident has a pool). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> goodwill;

    /** Component statuses this update sets explicitly: scope → status (wire names). */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> componentStatuses = new LinkedHashMap<>();

    public Instant nextUpdateBy;

    /** False for silent internal notes: customers are never told. */
    public boolean notify;

    /** The message template set this update was published with: a later edit never changes it. */
    public String templateVersion;

    public String author;
    public String source;
    public Instant createdAt;
    public Instant publishedAt;

    public static List<IncidentUpdate> timeline(Incident incident) {
        return list("incident = ?1 order by seq", incident);
    }

    public static Optional<IncidentUpdate> findBySeq(Incident incident, int seq) {
        return find("incident = ?1 and seq = ?2", incident, seq).firstResultOptional();
    }

    public static int nextSeq(Incident incident) {
        Integer max = getEntityManager()
                .createQuery("select max(u.seq) from IncidentUpdate u where u.incident = ?1", Integer.class)
                .setParameter(1, incident).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /**
     * How many customer messages of this update's kind its incident published before it. A plain
     * select, whose translation Hibernate keeps: Panache's count() translates its query again on
     * every call, which made this once-a-second read 3 % of the service's time in a fan-out.
     */
    public static long publishedOfKindBefore(Incident incident, IncidentUpdate update) {
        return getEntityManager().createQuery("select count(u) from IncidentUpdate u where u.incident = ?1 and u.seq < ?2"
                + " and u.status = ?3 and u.notify = true and u.messageKind = ?4", Long.class)
                .setParameter(1, incident).setParameter(2, update.seq).setParameter(3, UpdateStatus.PUBLISHED)
                .setParameter(4, update.messageKind).getSingleResult();
    }

    public boolean customerFacing() {
        return notify;
    }
}
