package io.incidentcomms.feedback;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.delivery.DeliveryConfig;
import io.incidentcomms.delivery.DeliveryPlanner;
import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * Bounce reports from the user's mail relay. The email is found by its notification id, the
 * Message-ID we gave it, or its VERP return path. A hard bounce marks the address bounced (it is
 * skipped from then on), fails the notification with the relay's reason, and, like any permanent
 * failure, sends the message by the subscriber's other channel. A soft bounce changes nothing:
 * the relay keeps trying, and only its final verdict counts.
 */
@ApplicationScoped
public class Bounces {

    private static final Logger LOG = Logger.getLogger(Bounces.class);

    public enum Kind {
        HARD, SOFT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Report(Long notificationId, String messageId, String returnPath, Kind kind, String status,
            String diagnostic) {
    }

    public record Outcome(long notificationId, String kind, boolean applied) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final ConsentService consent;
    private final DeliveryPlanner planner;
    private final DeliveryConfig delivery;

    Bounces(EntityManager em, Clock clock, ConsentService consent, DeliveryPlanner planner, DeliveryConfig delivery) {
        this.em = em;
        this.clock = clock;
        this.consent = consent;
        this.planner = planner;
        this.delivery = delivery;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Outcome receive(Report report) {
        long id = notificationOf(report);
        List<Tuple> rows = em.createNativeQuery("""
                select n.contact_point_id, n.channel, cp.address from notification n
                join contact_point cp on cp.id = n.contact_point_id where n.id = ?1""", Tuple.class)
                .setParameter(1, id).getResultList();
        if (rows.isEmpty() || !"EMAIL".equals(rows.get(0).get("channel"))) {
            throw ProblemException.notFound("Email notification " + id);
        }
        Kind kind = report.kind() == null ? Kind.HARD : report.kind();
        String reason = "bounced (" + kind.name().toLowerCase(Locale.ROOT) + ")"
                + (report.status() == null ? "" : " " + report.status())
                + (report.diagnostic() == null ? "" : ": " + report.diagnostic());
        String address = rows.get(0).get("address", String.class);
        if (kind == Kind.SOFT) {
            LOG.infof("Soft bounce for notification %d to %s: %s; the relay keeps trying", id, Masking.email(address),
                    reason);
            return new Outcome(id, "soft", false);
        }
        Instant now = clock.instant();
        int failed = em.createNativeQuery("""
                update notification set state = 'FAILED', last_error = ?1, next_attempt_at = null, updated_at = ?2
                where id = ?3 and state in ('PLANNED', 'SENT', 'DELIVERED', 'UNCERTAIN')""")
                .setParameter(1, reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .setParameter(2, Timestamp.from(now)).setParameter(3, id).executeUpdate();
        consent.markBounced(rows.get(0).get("contact_point_id", Number.class).longValue());
        if (failed > 0 && delivery.fallback()) {
            planner.planFallback(id, now);
        }
        LOG.infof("Hard bounce for notification %d to %s: %s", id, Masking.email(address), reason);
        return new Outcome(id, "hard", failed > 0);
    }

    private static long notificationOf(Report report) {
        if (report.notificationId() != null) {
            return report.notificationId();
        }
        if (report.messageId() != null) {
            return EmailSender.notificationOfMessageId(report.messageId()).orElseThrow(
                    () -> ProblemException.invalidField("messageId", "is not a Message-ID this service gave"));
        }
        if (report.returnPath() != null) {
            return EmailSender.notificationOfReturnPath(report.returnPath()).orElseThrow(
                    () -> ProblemException.invalidField("returnPath", "is not a return path this service gave"));
        }
        throw ProblemException.invalidField("notificationId", "one of notificationId, messageId or returnPath is required");
    }
}
