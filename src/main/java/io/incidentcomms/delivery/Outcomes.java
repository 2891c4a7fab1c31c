package io.incidentcomms.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.feedback.ProviderReceipts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records what became of an attempt the moment its answer arrives, and what follows from it:
 * sent; suppressed; planned again with backoff (temporary, or uncertain email under
 * at-least-once); failed — with the address marked bounced or opted out when the recipient is at
 * fault, and the subscriber's other channel tried; uncertain. Nothing is recorded for an attempt
 * that was taken over.
 */
@ApplicationScoped
class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class);

    private final NotificationQueue queue;
    private final Clock clock;
    private final DeliveryConfig config;
    private final ConsentService consent;
    private final DeliveryPlanner planner;
    private final ProviderReceipts receipts;
    private final DeliveryMetrics metrics;

    Outcomes(NotificationQueue queue, Clock clock, DeliveryConfig config, ConsentService consent, DeliveryPlanner planner,
            ProviderReceipts receipts, DeliveryMetrics metrics) {
        this.queue = queue;
        this.clock = clock;
        this.config = config;
        this.consent = consent;
        this.planner = planner;
        this.receipts = receipts;
        this.metrics = metrics;
    }

    /** The provider accepted it; a delivery report that came in before this record is applied with it. */
    void sent(Claimed claimed, String providerId, long variantId) {
        Instant now = clock.instant();
        boolean recorded = whileTheDatabaseIsBack(claimed, () -> QuarkusTransaction.requiringNew().call(() -> {
            boolean mine = queue.markSent(claimed, providerId, variantId, now);
            if (mine) {
                receipts.applyPending(List.of(claimed.id()));
            }
            return mine;
        }));
        if (!recorded) {
            LOG.warnf("Notification %d was taken over before attempt %s was recorded as sent", claimed.id(),
                    claimed.attemptId());
        }
        metrics.outcome(claimed.channel(), "sent");
        metrics.firstSend(claimed.updateId(), now);
    }

    /** It must not go any more (opted out, bounced, erased or muted since it was planned). */
    void suppressed(Claimed claimed) {
        record(claimed, new SendOutcome(SendOutcome.Kind.PERMANENT, null, null, claimed.suppressed()), true);
    }

    /** Any answer but sent, throttled or an account fault. */
    void failed(Claimed claimed, SendOutcome outcome) {
        record(claimed, outcome, false);
    }

    private void record(Claimed claimed, SendOutcome outcome, boolean suppressed) {
        Instant now = clock.instant();
        String state;
        Instant nextAttempt = null;
        boolean atLeastOnce = config.email().uncertainPolicy() == DeliveryConfig.UncertainPolicy.AT_LEAST_ONCE;
        boolean attemptsLeft = claimed.attempts() < config.dispatcher().maxAttempts();
        switch (outcome.kind()) {
            case PERMANENT -> state = suppressed ? "SUPPRESSED" : "FAILED";
            case REFUSED, ACCOUNT -> state = "FAILED";
            case UNCERTAIN -> {
                if (claimed.channel() == Channel.EMAIL && atLeastOnce && attemptsLeft) {
                    state = "PLANNED";
                    nextAttempt = now.plus(backoff(claimed.attempts()));
                } else {
                    state = "UNCERTAIN";
                }
            }
            case TRANSIENT, THROTTLED -> {
                state = attemptsLeft ? "PLANNED" : "FAILED";
                nextAttempt = attemptsLeft ? now.plus(backoff(claimed.attempts())) : null;
            }
            default -> throw new IllegalStateException("not a failure: " + outcome.kind());
        }
        String finalState = state;
        Instant retryAt = nextAttempt;
        boolean recorded = whileTheDatabaseIsBack(claimed, () -> QuarkusTransaction.requiringNew().call(() -> {
            if (!queue.settle(claimed, finalState, outcome, retryAt, now)) {
                LOG.warnf("Notification %d was taken over before attempt %s finished", claimed.id(), claimed.attemptId());
                return false;
            }
            if ("FAILED".equals(finalState)) {
                if (outcome.kind() == SendOutcome.Kind.PERMANENT) {
                    // the address is no good: never again by this channel
                    if (Integer.valueOf(21610).equals(outcome.providerCode())) {
                        consent.markOptedOutByCarrier(claimed.contactPointId());
                    } else {
                        consent.markBounced(claimed.contactPointId());
                    }
                }
                if (config.fallback()) {
                    planner.planFallback(claimed.id(), now);
                }
            }
            return true;
        }));
        if (recorded) {
            metrics.outcome(claimed.channel(), outcomeName(outcome, finalState));
        }
    }

    /**
     * Writes an outcome, again and again while the database cannot be reached (a restart, a
     * failover), for up to half the lease: a message the provider took must not go out a second
     * time because its record could not be written for a few seconds. Past that, the claim is left
     * to expire and be reconciled, as when the worker dies.
     */
    private <T> T whileTheDatabaseIsBack(Claimed claimed, java.util.function.Supplier<T> write) {
        long deadline = System.nanoTime() + config.dispatcher().lease().toNanos() / 2;
        long pauseMillis = 100;
        while (true) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!connectionLost(e) || System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("The outcome of notification %d waits for the database: %s", claimed.id(), e.getMessage());
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMillis = Math.min(pauseMillis * 2, 2_000);
            }
        }
    }

    /** The database went away under the write (SQLSTATE class 08, or the server shutting down), as opposed to refusing it. */
    static boolean connectionLost(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static String outcomeName(SendOutcome outcome, String state) {
        return switch (state) {
            case "SUPPRESSED" -> "suppressed";
            case "FAILED" -> "failed";
            case "UNCERTAIN" -> "uncertain";
            default -> outcome.kind() == SendOutcome.Kind.UNCERTAIN ? "uncertain" : "retry";
        };
    }

    /** Exponential backoff with ±20 % jitter, capped at an hour. */
    Duration backoff(int attempts) {
        long base = config.dispatcher().retryBase().toMillis() << Math.min(Math.max(attempts, 1) - 1, 16);
        long capped = Math.min(base, Duration.ofHours(1).toMillis());
        long jitter = (long) (capped * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(capped + jitter);
    }
}
