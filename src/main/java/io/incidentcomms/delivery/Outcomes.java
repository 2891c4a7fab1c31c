package io.incidentcomms.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.feedback.ProviderReceipts;
import io.incidentcomms.platform.persistence.GroupCommit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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
    /**
     * An accepted send unwritten for this long means the database is not answering (a linger is
     * a few milliseconds); sends wait then rather than pile up unrecorded.
     */
    static final Duration RECORDING_STALLED_AFTER = Duration.ofMillis(500);

    private final NotificationQueue queue;
    private final Clock clock;
    private final DeliveryConfig config;
    private final ConsentService consent;
    private final DeliveryPlanner planner;
    private final ProviderReceipts receipts;
    private final DeliveryMetrics metrics;
    /** Accepted sends of all sending threads, recorded a group at a time. */
    private final GroupCommit<NotificationQueue.Sent, Boolean> sentRecords;

    Outcomes(NotificationQueue queue, Clock clock, DeliveryConfig config, ConsentService consent, DeliveryPlanner planner,
            ProviderReceipts receipts, DeliveryMetrics metrics) {
        this.queue = queue;
        this.clock = clock;
        this.config = config;
        this.consent = consent;
        this.planner = planner;
        this.receipts = receipts;
        this.metrics = metrics;
        this.sentRecords = new GroupCommit<>("record-sends", this::writeSent, 200, config.dispatcher().recordLinger());
    }

    /**
     * The provider accepted it; a delivery report that came in before this record is applied with
     * it. The send is written together with the others accepted meanwhile (one transaction for
     * all of them, after at most the record linger); the future completes once it is stored, or
     * once storing it was given up (its lease then runs out and it is reconciled).
     */
    CompletableFuture<Void> sent(Claimed claimed, String providerId, long variantId) {
        Instant acceptedAt = clock.instant();
        CompletableFuture<Void> recorded = sentRecords.submit(new NotificationQueue.Sent(claimed, providerId, variantId))
                .handle((mine, failure) -> {
                    if (failure != null || mine == null) {
                        LOG.errorf("The send of notification %d could not be recorded; its lease runs out and it is"
                                + " reconciled%s", claimed.id(), failure == null ? "" : ": " + Masking.inText(failure.toString()));
                        return null;
                    }
                    if (!mine) {
                        LOG.warnf("Notification %d was taken over before attempt %s was recorded as sent", claimed.id(),
                                claimed.attemptId());
                    }
                    metrics.outcome(claimed.channel(), "sent");
                    return null;
                });
        try {
            // on the sender's thread, not the writer's: it writes to the database once per update
            metrics.firstSend(claimed.updateId(), acceptedAt);
        } catch (RuntimeException e) {
            LOG.warnf("The first send of update %d could not be marked: %s", claimed.updateId(), e.getMessage());
        }
        return recorded;
    }

    /**
     * Whether accepted sends are being stored as they come: none handed in longer than
     * {@link #RECORDING_STALLED_AFTER} ago is still unwritten. Waits up to {@code deadlineNanos}
     * (of {@link System#nanoTime()}) for that, so that while the database does not answer no more
     * messages go out than there are records waiting.
     */
    boolean recordingKeepsUp(long deadlineNanos) {
        return sentRecords.awaitKeepingUp(RECORDING_STALLED_AFTER, deadlineNanos);
    }

    /** Writes the accepted sends that wait for their group now: their batch is about to wait for them. */
    void recordWaitingSends() {
        sentRecords.flush();
    }

    /** SIGTERM, after the dispatcher stopped: accepted sends still waiting are written before the database goes. */
    void stop(@Observes @Priority(2) ShutdownEvent event) {
        if (!sentRecords.drain(Duration.ofSeconds(10))) {
            LOG.warn("Accepted sends still unrecorded at shutdown keep their claims until the leases run out");
        }
    }

    /**
     * Writes a group of accepted sends in one transaction; per send, whether its attempt was still
     * the worker's. Should the group be refused as a whole, each is written alone, so that one
     * refused record does not take the others with it (null for that one).
     */
    private List<Boolean> writeSent(List<NotificationQueue.Sent> group) {
        metrics.recordedTogether(group.size());
        try {
            return whileTheDatabaseIsBack("the outcome of " + group.size() + " send(s)", () -> writeTogether(group));
        } catch (RuntimeException refused) {
            if (group.size() == 1 || connectionLost(refused)) {
                throw refused;
            }
            LOG.warnf("Recording %d sends together failed (%s); each is recorded alone", group.size(),
                    Masking.inText(refused.toString()));
            List<Boolean> answers = new java.util.ArrayList<>(group.size());
            for (NotificationQueue.Sent sent : group) {
                try {
                    answers.add(writeTogether(List.of(sent)).get(0));
                } catch (RuntimeException e) {
                    LOG.errorf("The send of notification %d could not be recorded: %s", sent.claimed().id(),
                            Masking.inText(e.toString()));
                    answers.add(null);
                }
            }
            return answers;
        }
    }

    private List<Boolean> writeTogether(List<NotificationQueue.Sent> group) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            NotificationQueue.Recorded recorded = queue.markAllSent(group, now);
            receipts.applyPending(recorded.withReport());
            return group.stream().map(sent -> recorded.mine().contains(sent.claimed().id())).toList();
        });
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
        boolean recorded = whileTheDatabaseIsBack("the outcome of notification " + claimed.id(),
                () -> QuarkusTransaction.requiringNew().call(() -> settle(claimed, finalState, outcome, retryAt, now)));
        if (recorded) {
            metrics.outcome(claimed.channel(), outcomeName(outcome, finalState));
        }
    }

    /** The outcome, and what follows from a failure: the address marked, the other channel tried. */
    private boolean settle(Claimed claimed, String finalState, SendOutcome outcome, Instant retryAt, Instant now) {
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
    }

    /**
     * Writes an outcome, again and again while the database cannot be reached (a restart, a
     * failover) or gives the transaction up over a conflict with another, for up to half the
     * lease: a message the provider took must not go out a second time because its record could
     * not be written for a few seconds. Past that, the claim is left
     * to expire and be reconciled, as when the worker dies.
     */
    private <T> T whileTheDatabaseIsBack(String what, java.util.function.Supplier<T> write) {
        long deadline = System.nanoTime() + config.dispatcher().lease().toNanos() / 2;
        long pauseMillis = 100;
        while (true) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!(connectionLost(e) || conflicted(e)) || System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("Writing %s waits for the database: %s", what, e.getMessage());
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
        return anyCause(error, cause -> cause instanceof org.hibernate.exception.JDBCConnectionException
                || sqlState(cause, state -> state.startsWith("08") || state.startsWith("57P")));
    }

    /**
     * The database gave up the transaction to resolve a conflict with another one (a deadlock, a
     * serialization failure): written again, it goes through.
     */
    static boolean conflicted(Throwable error) {
        return anyCause(error, cause -> sqlState(cause, state -> state.equals("40P01") || state.equals("40001")));
    }

    private static boolean anyCause(Throwable error, java.util.function.Predicate<Throwable> test) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean sqlState(Throwable cause, java.util.function.Predicate<String> test) {
        return cause instanceof java.sql.SQLException sql && sql.getSQLState() != null && test.test(sql.getSQLState());
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
