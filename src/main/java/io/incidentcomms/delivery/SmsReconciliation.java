package io.incidentcomms.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.delivery.MessagePreparation.RenderCache;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An SMS whose send ended without a clear answer may exist at Twilio. Before it is sent again,
 * Twilio's message list for that number since the attempt is searched for its text (the one kept
 * at the attempt or, after a lost worker, rendered again): found, it was sent; not found, it is
 * planned again; no answer, it is looked up again later, each time waiting twice as long. Runs on
 * its own schedule, a bounded number of look-ups per run, never while the SMS channel is held, so
 * a slow Twilio never holds up sending.
 */
@ApplicationScoped
public class SmsReconciliation {

    private static final Logger LOG = Logger.getLogger(SmsReconciliation.class);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(15);

    private final NotificationQueue queue;
    private final MessagePreparation preparation;
    private final SmsSender sms;
    private final Clock clock;
    private final DeliveryConfig config;
    private final DeliveryMetrics metrics;

    SmsReconciliation(NotificationQueue queue, MessagePreparation preparation, SmsSender sms, Clock clock,
            DeliveryConfig config, DeliveryMetrics metrics) {
        this.queue = queue;
        this.preparation = preparation;
        this.sms = sms;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${comms.delivery.dispatcher.reconcile-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Dispatcher.DispatcherDisabled.class)
    void scheduled() {
        reconcileDue();
    }

    /** Looks up the uncertain SMS that are due, at most a batch of them; returns how many. */
    public int reconcileDue() {
        Instant now = clock.instant();
        int limit = config.dispatcher().reconcileBatch();
        // claimed for as long as the look-ups may take, so another replica does not repeat them
        Instant leaseUntil = now.plus(sms.sendDeadline().multipliedBy(limit));
        List<NotificationQueue.UncertainSms> due = queue.claimUncertainSms(limit,
                now.minus(config.dispatcher().reconcileAfter()), now, leaseUntil);
        RenderCache cache = new RenderCache();
        for (NotificationQueue.UncertainSms uncertain : due) {
            reconcile(uncertain, cache);
        }
        return due.size();
    }

    private void reconcile(NotificationQueue.UncertainSms uncertain, RenderCache cache) {
        Claimed claimed = uncertain.claimed();
        SmsSender.Lookup lookup;
        if (claimed.address() == null) {
            lookup = new SmsSender.Lookup(SmsSender.Found.NO, null);
        } else {
            try {
                String text = uncertain.keptText() != null ? uncertain.keptText() : preparation.smsAsSent(claimed, cache);
                lookup = sms.findSent(claimed.address(), text, uncertain.attemptedAt()
                        .minus(config.dispatcher().lease()).minus(Duration.ofMinutes(5)));
            } catch (RuntimeException e) {
                LOG.warnf("Notification %d could not be looked up: %s", claimed.id(), e.toString());
                lookup = new SmsSender.Lookup(SmsSender.Found.UNKNOWN, null);
            }
        }
        Instant now = clock.instant();
        switch (lookup.found()) {
            case YES -> {
                queue.foundSent(claimed.id(), lookup.sid(), now);
                metrics.outcome(Channel.SMS, "reconciled-sent");
            }
            case NO -> queue.notFound(claimed.id(), now);
            case UNKNOWN -> queue.lookUpLater(claimed.id(), now.plus(waitAfter(uncertain.lookups())));
        }
    }

    /** The reconcile-after period, doubled for each look-up that went unanswered, up to a quarter of an hour. */
    Duration waitAfter(int lookups) {
        Duration wait = config.dispatcher().reconcileAfter().multipliedBy(1L << Math.min(lookups, 10));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }
}
