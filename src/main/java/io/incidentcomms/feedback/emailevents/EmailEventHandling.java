package io.incidentcomms.feedback.emailevents;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.feedback.Bounces;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an email provider's events mean here, whichever provider reported them. A hard bounce of a
 * message we can name fails that notification as a reported bounce does (and sends it by the
 * subscriber's other channel); either way the address is marked bounced. Soft bounces count, and
 * enough in a row count as a hard one. A complaint opts the address out of email at once. Each
 * event is applied in a transaction of its own, so one that fails does not hold back the others.
 */
@ApplicationScoped
class EmailEventHandling {

    private static final Logger LOG = Logger.getLogger(EmailEventHandling.class);

    private final Bounces bounces;
    private final ConsentService consent;
    private final EmailEventsConfig config;
    private final jakarta.persistence.EntityManager em;
    private final java.time.Clock clock;

    EmailEventHandling(Bounces bounces, ConsentService consent, EmailEventsConfig config,
            jakarta.persistence.EntityManager em, java.time.Clock clock) {
        this.bounces = bounces;
        this.consent = consent;
        this.config = config;
        this.em = em;
        this.clock = clock;
    }

    List<EmailEvents.Applied> apply(String provider, List<EmailEvent> events) {
        return events.stream().map(event -> QuarkusTransaction.requiringNew().call(() -> apply(provider, event))).toList();
    }

    private EmailEvents.Applied apply(String provider, EmailEvent event) {
        int first = em.createNativeQuery("""
                insert into email_event_seen (provider, event_key, seen_at) values (?1, ?2, ?3)
                on conflict do nothing""").setParameter(1, provider)
                .setParameter(2, event.key().length() > 300 ? event.key().substring(0, 300) : event.key())
                .setParameter(3, java.sql.Timestamp.from(clock.instant())).executeUpdate();
        if (first == 0) {
            return new EmailEvents.Applied(kindOf(event), "duplicate");
        }
        return applyOnce(provider, event);
    }

    private static String kindOf(EmailEvent event) {
        return event.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private EmailEvents.Applied applyOnce(String provider, EmailEvent event) {
        String who = Masking.email(event.address());
        // the provider's diagnostic is SMTP text, which often quotes the recipient's address
        String detail = event.detail() == null ? null : Masking.inText(event.detail());
        return switch (event.kind()) {
            case HARD_BOUNCE -> {
                Optional<Long> notification = Optional.ofNullable(event.ourMessageId())
                        .flatMap(EmailSender::notificationOfMessageId);
                if (notification.isPresent()) {
                    try {
                        // a transaction of its own: a notification we cannot name must not undo the marking below
                        QuarkusTransaction.requiringNew().run(() -> bounces.receive(new Bounces.Report(notification.get(),
                                null, null, Bounces.Kind.HARD, null, provider + ": " + detail)));
                    } catch (ProblemException notOurs) {
                        LOG.infof("%s reported a hard bounce of a message we do not know for %s", provider, who);
                    }
                }
                int marked = consent.markEmailBounced(event.address());
                LOG.infof("%s: hard bounce for %s (%s); %d contact point(s) marked bounced", provider, who, detail,
                        marked);
                yield new EmailEvents.Applied("hard-bounce", marked > 0 || notification.isPresent() ? "bounced" : "unknown-address");
            }
            case SOFT_BOUNCE -> {
                int bounced = consent.softBounced(event.address(), config.softBounceLimit());
                yield new EmailEvents.Applied("soft-bounce", bounced > 0 ? "bounced" : "counted");
            }
            case COMPLAINT -> {
                int optedOut = consent.optOutByComplaint(event.address());
                LOG.infof("%s: spam complaint from %s; %d contact point(s) opted out of email", provider, who, optedOut);
                yield new EmailEvents.Applied("complaint", "opted-out");
            }
            case DELIVERED -> {
                consent.emailDelivered(event.address());
                yield new EmailEvents.Applied("delivered", "counted");
            }
        };
    }
}
