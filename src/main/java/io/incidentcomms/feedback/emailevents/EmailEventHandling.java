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

    EmailEventHandling(Bounces bounces, ConsentService consent, EmailEventsConfig config) {
        this.bounces = bounces;
        this.consent = consent;
        this.config = config;
    }

    List<EmailEvents.Applied> apply(String provider, List<EmailEvent> events) {
        return events.stream().map(event -> QuarkusTransaction.requiringNew().call(() -> apply(provider, event))).toList();
    }

    private EmailEvents.Applied apply(String provider, EmailEvent event) {
        String who = Masking.email(event.address());
        return switch (event.kind()) {
            case HARD_BOUNCE -> {
                Optional<Long> notification = Optional.ofNullable(event.ourMessageId())
                        .flatMap(EmailSender::notificationOfMessageId);
                if (notification.isPresent()) {
                    try {
                        // a transaction of its own: a notification we cannot name must not undo the marking below
                        QuarkusTransaction.requiringNew().run(() -> bounces.receive(new Bounces.Report(notification.get(),
                                null, null, Bounces.Kind.HARD, null, provider + ": " + event.detail())));
                    } catch (ProblemException notOurs) {
                        LOG.infof("%s reported a hard bounce of a message we do not know for %s", provider, who);
                    }
                }
                int marked = consent.markEmailBounced(event.address());
                LOG.infof("%s: hard bounce for %s (%s); %d contact point(s) marked bounced", provider, who,
                        event.detail(), marked);
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
