package io.incidentcomms.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.delivery.MessagePreparation.Prepared;
import io.incidentcomms.delivery.MessagePreparation.RenderCache;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.time.Pauses;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The send loop. Per channel, a worker claims a batch in priority order ({@link NotificationQueue})
 * — no more than the sender's rate lets go out within a third of the lease, nor than its senders
 * get through in half a lease at recent speed — prepares the messages ({@link MessagePreparation}),
 * reserves their paced slots in one step and hands each, at its slot, to the channel's own small
 * pool of sending threads, with no transaction open. Before each send the batch's lease is renewed
 * if the send might outlast it; each answer is recorded as it arrives, accepted sends together
 * with those accepted within a few milliseconds ({@link Outcomes}), and the batch is done once
 * they are stored. A claim whose worker died runs out of lease and becomes uncertain: an SMS is
 * looked up at Twilio ({@link SmsReconciliation}) before it is sent again, an email follows the
 * configured policy.
 * On shutdown, claims not yet sent are handed back at once.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    static final String LEASE_RAN_OUT = "the worker sending it stopped before it answered (its lease ran out)";
    /** Room between a send's deadline and the end of its lease, for recording the answer. */
    private static final Duration RECORDING_MARGIN = Duration.ofSeconds(1);
    /** How long consecutive batches share what they read and rendered; an edit shows after at most this long. */
    private static final Duration RENDER_CACHE_LIFETIME = Duration.ofSeconds(1);
    /** What a send whose answer was recorded before it returned gives its batch to wait for. */
    private static final CompletableFuture<Void> RECORDED = CompletableFuture.completedFuture(null);

    private final Clock clock;
    private final DeliveryConfig config;
    private final NotificationQueue queue;
    private final MessagePreparation preparation;
    private final Outcomes outcomes;
    private final EmailSender email;
    private final SmsSender sms;
    private final SmtpClient smtp;
    private final SenderPacing pacing;
    private final ChannelHolds holds;
    private final DeliveryMetrics metrics;
    private final Pauses pauses;
    private final MessageConfig messages;
    private final SendTraces traces;
    private final BatchSizing sizing = new BatchSizing();
    /** Per channel, so slow answers from one provider never take the other's turn. */
    private final Map<Channel, ExecutorService> senders = new EnumMap<>(Channel.class);
    private final ExecutorService channelLoops = Executors.newCachedThreadPool(r -> new Thread(r, "dispatch-loop"));
    private final Map<Channel, AtomicBoolean> looping = Map.of(Channel.EMAIL, new AtomicBoolean(), Channel.SMS,
            new AtomicBoolean());
    private volatile boolean stopping;

    Dispatcher(Clock clock, DeliveryConfig config, NotificationQueue queue, MessagePreparation preparation,
            Outcomes outcomes, EmailSender email, SmsSender sms, SmtpClient smtp, SenderPacing pacing, ChannelHolds holds,
            DeliveryMetrics metrics, Pauses pauses, MessageConfig messages, SendTraces traces) {
        this.clock = clock;
        this.traces = traces;
        this.config = config;
        this.queue = queue;
        this.preparation = preparation;
        this.outcomes = outcomes;
        this.email = email;
        this.sms = sms;
        this.smtp = smtp;
        this.pacing = pacing;
        this.holds = holds;
        this.metrics = metrics;
        this.pauses = pauses;
        this.messages = messages;
        int threads = config.dispatcher().concurrency();
        for (Channel channel : Channel.values()) {
            String name = "dispatch-send-" + channel.name().toLowerCase(java.util.Locale.ROOT);
            senders.put(channel, Executors.newFixedThreadPool(threads, r -> new Thread(r, name)));
        }
    }

    /** A lease shorter than a send may take would let a slow send be taken over and sent twice. */
    void checkLease(@Observes StartupEvent event) {
        if (config.dispatcher().recordLinger().compareTo(Outcomes.RECORDING_STALLED_AFTER) >= 0) {
            throw new IllegalStateException("comms.delivery.dispatcher.record-linger (" + config.dispatcher().recordLinger()
                    + ") must be under " + Outcomes.RECORDING_STALLED_AFTER + ", after which recording counts as stalled");
        }
        for (Channel channel : Channel.values()) {
            Duration needed = needed(channel);
            if (config.dispatcher().lease().compareTo(needed) <= 0) {
                throw new IllegalStateException("comms.delivery.dispatcher.lease (" + config.dispatcher().lease()
                        + ") must be longer than a " + channel.wire() + " send may take (" + needed + "): raise the lease"
                        + " or lower comms.delivery.email.smtp-timeout / comms.sms.twilio.timeout");
            }
        }
    }

    /** Each channel runs its own loop, so a slow SMS rate never holds email back. */
    @Scheduled(every = "${comms.delivery.dispatcher.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = DispatcherDisabled.class)
    void dispatchDue() {
        if (stopping) {
            return;
        }
        expireLeases();
        for (Channel channel : Channel.values()) {
            AtomicBoolean running = looping.get(channel);
            if (running.compareAndSet(false, true)) {
                channelLoops.execute(() -> {
                    try {
                        RenderCache cache = new RenderCache();
                        while (!stopping && dispatchChannel(channel, cache) > 0) {
                            // keep going while there is due work, reading each update's content
                            // and making each shared rendering once a second rather than per batch
                            if (cache.olderThan(RENDER_CACHE_LIFETIME)) {
                                cache = new RenderCache();
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "Dispatching %s failed; the next round tries again", channel);
                    } finally {
                        running.set(false);
                    }
                });
            }
        }
    }

    /** Claims and sends one batch per channel and waits for it; returns how many notifications it claimed. */
    public int dispatchBatch() {
        expireLeases();
        RenderCache cache = new RenderCache();
        int claimed = 0;
        for (Channel channel : Channel.values()) {
            claimed += dispatchChannel(channel, cache);
        }
        return claimed;
    }

    /**
     * A claim whose lease ran out belongs to a worker that died (or hung) mid-send: the message
     * may have gone. An SMS becomes uncertain and is looked up at Twilio; an email follows the
     * policy — sent again (at least once) or left uncertain (at most once).
     */
    int expireLeases() {
        boolean atLeastOnce = config.email().uncertainPolicy() == DeliveryConfig.UncertainPolicy.AT_LEAST_ONCE;
        int expired = queue.expireLeases(atLeastOnce, LEASE_RAN_OUT, clock.instant());
        if (expired > 0) {
            LOG.warnf("%d notification(s) were claimed by a worker that stopped; they are reconciled or sent again", expired);
            metrics.outcome(null, "uncertain", expired);
        }
        return expired;
    }

    /**
     * One batch of one channel. This thread prepares the messages, reserves their paced slots in
     * one step and waits for each; the pool's threads only talk to the provider, so a paced
     * channel never ties them up.
     */
    private int dispatchChannel(Channel channel, RenderCache cache) {
        if (stopping) {
            return 0;
        }
        int wanted = sizing.claims(channel, config.dispatcher().batchSize(), config.dispatcher().lease(),
                config.dispatcher().concurrency());
        int budget = pacing.budget(channel, wanted);
        if (budget == 0) {
            return 0;
        }
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.dispatcher().lease());
        List<Claimed> batch = queue.claim(channel, budget, now, leaseUntil);
        BatchLease lease = new BatchLease(queue, clock, config.dispatcher().lease(), leaseUntil, batch);
        Map<Long, String> traceParents = traces.parentsOf(batch);
        List<Claimed> ready = new ArrayList<>(batch.size());
        List<Prepared> prepared = new ArrayList<>(batch.size());
        for (Claimed claimed : batch) {
            Prepared message = prepareOrSettle(claimed, cache);
            if (message != null) {
                ready.add(claimed);
                prepared.add(message);
            }
        }
        List<Integer> withoutLink = preparation.withShortLinks(ready, prepared);
        for (int i = withoutLink.size() - 1; i >= 0; i--) {
            int index = withoutLink.get(i);
            handBack(ready.remove(index), clock.instant().plus(config.dispatcher().retryBase()), false);
            prepared.remove(index);
        }
        List<SenderPacing.Slot> slots = pacing.reserveAll(channel, prepared.stream().mapToInt(Prepared::cost).toArray());
        List<Future<CompletableFuture<Void>>> sends = new ArrayList<>(ready.size());
        for (int i = 0; i < ready.size(); i++) {
            Claimed claimed = ready.get(i);
            Prepared message = prepared.get(i);
            if (waitFor(claimed, slots.get(i), lease)) {
                sends.add(senders.get(channel).submit(() -> deliver(claimed, message, lease, traceParents)));
            }
        }
        awaitSendsAndTheirRecords(sends, lease);
        return batch.size();
    }

    /**
     * A batch is done when each of its sends has been answered and each accepted one recorded, or,
     * should recording stall, when its lease has run out (its claims are then reconciled).
     */
    private void awaitSendsAndTheirRecords(List<Future<CompletableFuture<Void>>> sends, BatchLease lease) {
        List<CompletableFuture<Void>> records = new ArrayList<>(sends.size());
        try {
            for (Future<CompletableFuture<Void>> send : sends) {
                try {
                    records.add(send.get());
                } catch (ExecutionException e) {
                    LOG.error("A send task failed", e.getCause());
                }
            }
            outcomes.recordWaitingSends();
            Duration leaseLeft = Duration.between(clock.instant(), lease.until());
            CompletableFuture.allOf(records.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, leaseLeft.toMillis()) + RECORDING_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.error("Recording a send failed", e.getCause());
        } catch (TimeoutException e) {
            LOG.warn("Sends of a batch were still unrecorded when its lease ran out; they are reconciled");
        }
    }

    /** Prepares the message; null when the claim was settled or handed back instead. */
    private Prepared prepareOrSettle(Claimed claimed, RenderCache cache) {
        if (stopping) {
            handBack(claimed, null, false);
            return null;
        }
        if (claimed.suppressed() != null) {
            outcomes.suppressed(claimed);
            return null;
        }
        try {
            return preparation.prepare(claimed, cache);
        } catch (RuntimeException e) {
            LOG.errorf("Notification %d could not be rendered: %s", claimed.id(), Masking.inText(e.toString()));
            outcomes.failed(claimed, SendOutcome.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage()));
            return null;
        }
    }

    /**
     * Waits for the paced slot. Gives the claim back instead when the sender is paused, when the
     * slot lies so late that the send could outlast the lease, or when the service stops.
     */
    private boolean waitFor(Claimed claimed, SenderPacing.Slot slot, BatchLease lease) {
        if (slot.paused()) {
            handBack(claimed, slot.at(), false);
            return false;
        }
        if (slot.at().plus(needed(claimed.channel())).isAfter(lease.until())) {
            handBack(claimed, slot.at(), false);
            return false;
        }
        if (!pauses.until(slot.at())) {
            handBack(claimed, null, false);
            return false;
        }
        if (stopping || pacing.pausedNow(claimed.channel())) {
            handBack(claimed, null, false);
            return false;
        }
        return true;
    }

    /**
     * Sends one message, if its claim is still this worker's for as long as the send may take, and
     * records the answer; an accepted send is recorded with others, and the future returned
     * completes when it is (at once for any other answer).
     */
    private CompletableFuture<Void> deliver(Claimed claimed, Prepared prepared, BatchLease lease,
            Map<Long, String> traceParents) {
        if (stopping) {
            handBack(claimed, null, false);
            return RECORDED;
        }
        Duration needed = needed(claimed.channel());
        if (!recordingKeepsUp(claimed, lease, needed)) {
            return RECORDED;
        }
        if (!lease.holds(claimed, needed)) {
            LOG.warnf("Notification %d was taken over before it was sent; this worker leaves it", claimed.id());
            return RECORDED;
        }
        long started = System.nanoTime();
        Span span = traces.start(claimed, traceParents);
        SendOutcome outcome;
        try (Scope scope = span.makeCurrent()) {
            outcome = claimed.channel() == Channel.SMS
                    ? sms.send(claimed.address(), prepared.sms(), statusCallback(claimed))
                    : email.send(prepared.email());
        } catch (RuntimeException e) {
            LOG.errorf("Notification %d could not be sent: %s", claimed.id(), Masking.inText(e.toString()));
            outcome = SendOutcome.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        traces.finish(span, outcome);
        sizing.took(claimed.channel(), Duration.ofNanos(System.nanoTime() - started));
        switch (outcome.kind()) {
            case SENT -> {
                return outcomes.sent(claimed, outcome.providerId(), prepared.variantId());
            }
            case THROTTLED -> {
                handBack(claimed, pacing.pause(claimed.channel()), false);
                metrics.outcome(claimed.channel(), "throttled");
            }
            case ACCOUNT -> accountRefused(claimed, outcome);
            case UNCERTAIN -> {
                if (claimed.channel() == Channel.SMS) {
                    queue.keepText(claimed, prepared.sms());
                }
                outcomes.failed(claimed, outcome);
            }
            default -> outcomes.failed(claimed, outcome);
        }
        return RECORDED;
    }

    /**
     * Sends go out only while accepted sends are being stored: while the database does not answer,
     * each waits, for as long as its claim's lease lets it still go out, rather than add to the
     * sends that would have to be reconciled. One that cannot wait longer is handed back if the
     * database takes it, and otherwise left to its lease.
     */
    private boolean recordingKeepsUp(Claimed claimed, BatchLease lease, Duration needed) {
        Duration room = Duration.between(clock.instant(), lease.until().minus(needed));
        if (outcomes.recordingKeepsUp(System.nanoTime() + Math.max(0, room.toNanos()))) {
            return true;
        }
        LOG.warnf("Recording accepted sends has stalled (the database does not answer); notification %d is not sent now",
                claimed.id());
        try {
            handBack(claimed, null, false);
        } catch (RuntimeException e) {
            LOG.warnf("Notification %d is left to its lease: %s", claimed.id(), Masking.inText(e.toString()));
        }
        return false;
    }

    /**
     * Our account, not this recipient: the channel is held and nobody is marked; the message waits
     * for the resume. The attempt counts, so a message that keeps being refused as an account
     * fault fails after the attempts allowed instead of going first after every resume.
     */
    private void accountRefused(Claimed claimed, SendOutcome outcome) {
        if (claimed.attempts() >= config.dispatcher().maxAttempts()) {
            outcomes.failed(claimed, outcome);
            return;
        }
        holds.hold(claimed.channel(), outcome.error());
        handBack(claimed, null, true);
        metrics.outcome(claimed.channel(), "held");
    }

    private void handBack(Claimed claimed, Instant notBefore, boolean countAttempt) {
        queue.handBack(claimed, notBefore, countAttempt, clock.instant());
    }

    /** How long before its lease ends a send must start: its deadline, and time to record the answer after a linger. */
    private Duration needed(Channel channel) {
        return (channel == Channel.SMS ? sms.sendDeadline() : smtp.sendDeadline()).plus(RECORDING_MARGIN)
                .plus(config.dispatcher().recordLinger());
    }

    private URI statusCallback(Claimed claimed) {
        return URI.create(messages.publicBaseUrl() + "/api/twilio/status?notification=" + claimed.id());
    }

    /**
     * SIGTERM: no new claims; sends already talking to a provider get a few seconds to finish and
     * be recorded; claims not yet sent are handed back, so other replicas take them at once
     * instead of after the lease.
     */
    void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        channelLoops.shutdown();
        senders.values().forEach(ExecutorService::shutdown);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ExecutorService pool : senders.values()) {
                if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    // a send stuck talking to a provider keeps its claim until the lease runs out
                    pool.shutdownNow();
                    LOG.warn("Sends still in flight at shutdown keep their claims until the leases run out");
                }
            }
            // the loops finish their batches; one waiting for a paced slot is woken
            if (!channelLoops.awaitTermination(5, TimeUnit.SECONDS)) {
                channelLoops.shutdownNow();
                channelLoops.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ApplicationScoped
    public static class DispatcherDisabled implements Scheduled.SkipPredicate {
        private final DeliveryConfig config;

        DispatcherDisabled(DeliveryConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.dispatcher().enabled();
        }
    }
}
