package io.incidentcomms.delivery;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.feedback.ProviderReceipts;
import io.incidentcomms.incident.IncidentConfig;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.SmsText;
import io.incidentcomms.platform.time.Pauses;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Sends planned notifications. Per channel, a worker claims a batch in priority order with
 * {@code FOR UPDATE SKIP LOCKED} — no more than the sender's rate lets go out before the lease
 * ends — and commits it as {@code SENDING} with an attempt id and a lease. The batch is then sent
 * by a small pool of threads with no transaction open, each send waiting for its paced slot, and
 * each answer is recorded only if the attempt is still its own. A claim whose worker died runs
 * out of lease and becomes uncertain: an SMS is looked up at Twilio before it is sent again, an
 * email follows the configured policy. On shutdown, claims not yet sent are handed back at once.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** Stands for the recipient's self-service token in a message rendered once for many recipients. */
    private static final String TOKEN_SLOT = "tkn7f3a9c1e0d";
    static final String LEASE_RAN_OUT = "the worker sending it stopped before it answered (its lease ran out)";

    /**
     * One claimed notification and whom it goes to. {@code suppressed} says why it must not go any
     * more; {@code goodwillCode} is the recipient's own code from the incident's pool, if any.
     */
    record Claimed(long id, long updateId, long incidentId, long contactPointId, long subscriberId, UUID attemptId,
            int attempts, Channel channel, String address, String locale, String timeZone, boolean toldBefore,
            String suppressed, Instant leaseUntil, LocalTime quietStart, LocalTime quietEnd, String goodwillCode) {
    }

    /** What goes out for one claimed notification; an SMS with {@code needsLink} gets its short link put in. */
    record Prepared(String sms, int segments, EmailSender.Email email, long variantId, boolean needsLink) {

        Prepared withShortLink(String id) {
            String text = sms.replace(ShortLinks.SLOT, id);
            return new Prepared(text, SmsText.segments(text), null, variantId, false);
        }
    }

    /**
     * Reads the notifications a statement's {@code claimed} step returned, with whom each goes to,
     * why it must not go any more (if so), and whether they heard of the incident before; the
     * {@code %s} adds columns at the end.
     */
    private static final String SELECT_CLAIMED = """
            select c.id, c.incident_update_id as update_id, c.incident_id, c.contact_point_id, c.subscriber_id,
                   cast(c.attempt_id as text) as attempt_id, c.attempts, cp.channel, cp.address, s.locale, s.time_zone,
                   case when cp.address is null or s.erased_at is not null then 'the contact point was erased'
                        when cp.opted_out_at is not null then 'opted out since it was planned'
                        when exists (select 1 from suppression sp where sp.address_hash = cp.address_hash)
                             then 'the address opted out since it was planned'
                        when cp.bounced_at is not null then 'bounced since it was planned'
                        when cp.channel = 'SMS' and cp.consent_at is null then 'no SMS consent'
                        when exists (select 1 from incident_mute mu where mu.incident_id = c.incident_id
                                                                    and mu.subscriber_id = c.subscriber_id)
                             then 'muted this incident since it was planned'
                   end as suppressed,
                   exists (select 1 from notification o where o.incident_id = c.incident_id
                             and o.contact_point_id = c.contact_point_id and o.state in ('SENT', 'DELIVERED') and o.id <> c.id)
                       as told_before,
                   s.quiet_start, s.quiet_end,
                   (select g.code from goodwill_code g where g.incident_id = c.incident_id and g.subscriber_id = c.subscriber_id)
                       as goodwill_code
                   %s
            from claimed c join contact_point cp on cp.id = c.contact_point_id left join subscriber s on s.id = c.subscriber_id
            """;

    private final EntityManager em;
    private final Clock clock;
    private final DeliveryConfig config;
    private final IncidentService incidents;
    private final ConsentService consent;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;
    private final MessageConfig messages;
    private final SelfServiceTokens tokens;
    private final EmailSender email;
    private final SmsSender sms;
    private final SenderPacing pacing;
    private final DeliveryMetrics metrics;
    private final ProviderReceipts receipts;
    private final ChannelHolds holds;
    private final DeliveryPlanner planner;
    private final Pauses pauses;
    private final IncidentConfig incidentConfig;
    private final ShortLinks shortLinks;
    private final GoodwillCodes goodwill;
    /** Per channel, so slow answers from one provider never take the other's turn. */
    private final Map<Channel, ExecutorService> senders = new java.util.EnumMap<>(Channel.class);
    private final ExecutorService channelLoops = Executors.newCachedThreadPool(r -> new Thread(r, "dispatch-loop"));
    private final Map<Channel, AtomicBoolean> looping = Map.of(Channel.EMAIL, new AtomicBoolean(), Channel.SMS,
            new AtomicBoolean());
    private volatile boolean stopping;

    Dispatcher(EntityManager em, Clock clock, DeliveryConfig config, IncidentService incidents, ConsentService consent,
            MessageTemplates templates, MessageRenderer renderer, MessageConfig messages, SelfServiceTokens tokens,
            EmailSender email, SmsSender sms, SenderPacing pacing, DeliveryMetrics metrics,
            ProviderReceipts receipts, ChannelHolds holds, DeliveryPlanner planner,
            Pauses pauses, IncidentConfig incidentConfig, ShortLinks shortLinks, GoodwillCodes goodwill) {
        this.shortLinks = shortLinks;
        this.goodwill = goodwill;
        this.pauses = pauses;
        this.incidentConfig = incidentConfig;
        this.holds = holds;
        this.planner = planner;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.incidents = incidents;
        this.consent = consent;
        this.templates = templates;
        this.renderer = renderer;
        this.messages = messages;
        this.tokens = tokens;
        this.email = email;
        this.sms = sms;
        this.pacing = pacing;
        this.metrics = metrics;
        this.receipts = receipts;
        int threads = config.dispatcher().concurrency();
        for (Channel channel : Channel.values()) {
            String name = "dispatch-send-" + channel.name().toLowerCase(java.util.Locale.ROOT);
            senders.put(channel, Executors.newFixedThreadPool(threads, r -> new Thread(r, name)));
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
        reconcileUncertain();
        for (Channel channel : Channel.values()) {
            AtomicBoolean running = looping.get(channel);
            if (running.compareAndSet(false, true)) {
                channelLoops.execute(() -> {
                    try {
                        while (!stopping && dispatchChannel(channel, new RenderCache()) > 0) {
                            // keep going while there is due work
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
        reconcileUncertain();
        RenderCache cache = new RenderCache();
        int claimed = 0;
        for (Channel channel : Channel.values()) {
            claimed += dispatchChannel(channel, cache);
        }
        return claimed;
    }

    /**
     * One batch of one channel. This thread renders the messages, reserves their paced slots in
     * one step and waits for each; the pool's threads only talk to the provider, so a paced
     * channel never ties them up. What went out is recorded for the whole batch in one
     * statement; other outcomes one by one.
     */
    private int dispatchChannel(Channel channel, RenderCache cache) {
        if (stopping) {
            return 0;
        }
        int budget = pacing.budget(channel, config.dispatcher().batchSize());
        if (budget == 0) {
            return 0;
        }
        List<Claimed> batch = claim(channel, budget);
        List<Future<?>> sends = new ArrayList<>(batch.size());
        List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>(batch.size()));
        try {
            List<Claimed> ready = new ArrayList<>(batch.size());
            List<Prepared> prepared = new ArrayList<>(batch.size());
            for (Claimed claimed : batch) {
                Prepared message = prepareOrSettle(claimed, cache);
                if (message != null) {
                    ready.add(claimed);
                    prepared.add(message);
                }
            }
            withShortLinks(ready, prepared);
            List<SenderPacing.Slot> slots = pacing.reserveAll(channel, prepared.stream()
                    .mapToInt(p -> channel == Channel.SMS ? p.segments() : 1).toArray());
            for (int i = 0; i < ready.size(); i++) {
                Claimed claimed = ready.get(i);
                Prepared message = prepared.get(i);
                if (waitFor(claimed, slots.get(i))) {
                    sends.add(senders.get(channel).submit(() -> deliver(claimed, message, sent)));
                }
            }
            for (Future<?> send : sends) {
                try {
                    send.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException e) {
                    LOG.error("A send task failed", e.getCause());
                }
            }
        } finally {
            recordSent(sent);
        }
        return batch.size();
    }

    /**
     * Puts each SMS's own short link in, made for the whole batch at once. Should that fail, the
     * SMS that need one are handed back unsent (and leave the batch), rather than left to run out
     * of their lease as if they might have gone.
     */
    private void withShortLinks(List<Claimed> ready, List<Prepared> prepared) {
        List<ShortLinks.Owner> owners = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            if (prepared.get(i).needsLink()) {
                owners.add(new ShortLinks.Owner(ready.get(i).id(), ready.get(i).subscriberId()));
            }
        }
        Map<Long, String> ids;
        try {
            ids = shortLinks.idsFor(owners);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Short links for %d SMS could not be made; they are planned again", owners.size());
            ids = Map.of();
        }
        for (int i = ready.size() - 1; i >= 0; i--) {
            if (prepared.get(i).needsLink()) {
                String id = ids.get(ready.get(i).id());
                if (id == null) {
                    handBack(ready.remove(i), clock.instant().plus(config.dispatcher().retryBase()));
                    prepared.remove(i);
                } else {
                    prepared.set(i, prepared.get(i).withShortLink(id));
                }
            }
        }
    }

    /** Renders the message; null when the claim was settled or handed back instead. */
    private Prepared prepareOrSettle(Claimed claimed, RenderCache cache) {
        if (stopping) {
            handBack(claimed, null);
            return null;
        }
        if (claimed.suppressed() != null) {
            record(claimed, new SendOutcome(SendOutcome.Kind.PERMANENT, null, null, claimed.suppressed()), true);
            return null;
        }
        Prepared prepared;
        try {
            prepared = prepare(claimed, cache);
        } catch (RuntimeException e) {
            LOG.errorf("Notification %d could not be rendered: %s", claimed.id(), Masking.inText(e.toString()));
            record(claimed, SendOutcome.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage()), false);
            return null;
        }
        return prepared;
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim(Channel channel, int limit) {
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.dispatcher().lease());
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                with picked as (
                    select id from notification
                    where channel = ?1 and state = 'PLANNED' and (next_attempt_at is null or next_attempt_at <= ?2)
                    order by priority, turn, id limit ?3 for update skip locked),
                claimed as (
                    update notification n set state = 'SENDING', attempt_id = gen_random_uuid(), lease_until = ?4,
                        attempts = n.attempts + 1, updated_at = ?2
                    from picked where n.id = picked.id
                    returning n.id, n.incident_update_id, n.incident_id, n.contact_point_id, n.subscriber_id,
                              n.attempt_id, n.attempts, n.priority, n.turn)
                %s order by c.priority, c.turn, c.id""".formatted(SELECT_CLAIMED.formatted("")), Tuple.class)
                .setParameter(1, channel.name()).setParameter(2, Timestamp.from(now)).setParameter(3, limit)
                .setParameter(4, Timestamp.from(leaseUntil)).getResultList());
        return rows.stream().map(r -> claimed(r, leaseUntil)).toList();
    }

    private static Claimed claimed(Tuple r, Instant leaseUntil) {
        String attemptId = r.get("attempt_id", String.class);
        return new Claimed(number(r, "id"), number(r, "update_id"), number(r, "incident_id"), number(r, "contact_point_id"),
                number(r, "subscriber_id"), attemptId == null ? null : UUID.fromString(attemptId),
                (int) number(r, "attempts"), Channel.valueOf(r.get("channel", String.class)), r.get("address", String.class),
                r.get("locale", String.class), r.get("time_zone", String.class), r.get("told_before", Boolean.class),
                r.get("suppressed", String.class), leaseUntil, SqlTimes.localTime(r.get("quiet_start")),
                SqlTimes.localTime(r.get("quiet_end")), r.get("goodwill_code", String.class));
    }

    private static long number(Tuple row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    /** An accepted message, recorded with the rest of its batch. */
    record Sent(Claimed claimed, String providerId, long variantId) {
    }

    private void deliver(Claimed claimed, Prepared prepared, List<Sent> sent) {
        if (stopping) {
            handBack(claimed, null);
            return;
        }
        SendOutcome outcome;
        try {
            outcome = claimed.channel() == Channel.SMS
                    ? sms.send(claimed.address(), prepared.sms(), statusCallback(claimed))
                    : email.send(prepared.email());
            if (outcome.kind() == SendOutcome.Kind.UNCERTAIN && claimed.channel() == Channel.SMS) {
                keepTextForReconciliation(claimed, prepared.sms());
            }
        } catch (RuntimeException e) {
            LOG.errorf("Notification %d could not be sent: %s", claimed.id(), Masking.inText(e.toString()));
            outcome = SendOutcome.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        switch (outcome.kind()) {
            case SENT -> sent.add(new Sent(claimed, outcome.providerId(), prepared.variantId()));
            case THROTTLED -> {
                handBack(claimed, pacing.pause(claimed.channel()));
                metrics.outcome(claimed.channel(), "throttled");
            }
            case ACCOUNT -> {
                // our account, not this recipient: nobody is marked, the message waits for the resume
                holds.hold(claimed.channel(), outcome.error());
                handBack(claimed, null);
                metrics.outcome(claimed.channel(), "held");
            }
            default -> record(claimed, outcome, false);
        }
    }

    /**
     * Records a batch's accepted messages in one statement, each only if its attempt is still its
     * own. Should the process die before this, their leases run out and they count as uncertain.
     */
    private void recordSent(List<Sent> sent) {
        if (sent.isEmpty()) {
            return;
        }
        List<Sent> batch = List.copyOf(sent);
        Instant now = clock.instant();
        int recorded = QuarkusTransaction.requiringNew().call(() -> {
            int updated = em.createNativeQuery("""
                update notification n set state = 'SENT', provider_id = v.provider_id, variant_id = v.variant_id,
                    last_error = null, next_attempt_at = null, sent_at = ?4, lease_until = null, updated_at = ?4
                from unnest(cast(?1 as bigint[]), cast(?2 as text[]), cast(?3 as text[]), cast(?5 as bigint[]))
                     as v(id, attempt_id, provider_id, variant_id)
                where n.id = v.id and n.attempt_id = cast(v.attempt_id as uuid) and n.state = 'SENDING'""")
                .setParameter(1, batch.stream().map(s -> s.claimed().id()).toArray(Long[]::new))
                .setParameter(2, batch.stream().map(s -> s.claimed().attemptId().toString()).toArray(String[]::new))
                .setParameter(3, batch.stream().map(Sent::providerId).toArray(String[]::new))
                .setParameter(4, Timestamp.from(now))
                .setParameter(5, batch.stream().map(Sent::variantId).toArray(Long[]::new)).executeUpdate();
            // a delivery report that came in before this record is applied with it
            receipts.applyPending(batch.stream().map(s -> s.claimed().id()).toList());
            return updated;
        });
        if (recorded < batch.size()) {
            LOG.warnf("%d of %d sent notification(s) were taken over before their attempt was recorded",
                    batch.size() - recorded, batch.size());
        }
        for (Sent s : batch) {
            metrics.outcome(s.claimed().channel(), "sent");
            metrics.firstSend(s.claimed().updateId(), now);
        }
    }

    /**
     * Waits for the paced slot. Gives the claim back instead when the sender is paused, when the
     * slot lies beyond the lease (the claim would be taken over), or when the service stops.
     */
    private boolean waitFor(Claimed claimed, SenderPacing.Slot slot) {
        if (slot.paused()) {
            handBack(claimed, slot.at());
            return false;
        }
        if (slot.at().isAfter(claimed.leaseUntil().minusSeconds(1))) {
            handBack(claimed, slot.at());
            return false;
        }
        if (!pauses.until(slot.at())) {
            handBack(claimed, null);
            return false;
        }
        if (stopping || pacing.pausedNow(claimed.channel())) {
            handBack(claimed, null);
            return false;
        }
        return true;
    }

    /** Returns a claim that was never sent: planned again, not counted as an attempt. */
    private void handBack(Claimed claimed, Instant notBefore) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'PLANNED', lease_until = null, attempts = attempts - 1,
                    next_attempt_at = ?1, updated_at = ?2
                where id = ?3 and attempt_id = cast(?4 as uuid) and state = 'SENDING'""")
                .setParameter(1, notBefore == null ? null : Timestamp.from(notBefore))
                .setParameter(2, Timestamp.from(clock.instant())).setParameter(3, claimed.id())
                .setParameter(4, claimed.attemptId().toString()).executeUpdate());
    }

    private URI statusCallback(Claimed claimed) {
        return URI.create(messages.publicBaseUrl() + "/api/twilio/status?notification=" + claimed.id());
    }

    /**
     * Renders at send time from the template version pinned to the update. Recipients who share
     * update, locale, time zone, channel, first-SMS footer, promise and whether they have a goodwill
     * code share one rendering; what is theirs alone (the link token, the short link, the code) is
     * put in afterwards.
     */
    Prepared prepare(Claimed claimed, RenderCache cache) {
        IncidentService.MessageSource source = cache.sources.computeIfAbsent(claimed.updateId(),
                incidents::messageSourceOfUpdate);
        MessageRenderer.Channel channel = claimed.channel() == Channel.SMS ? MessageRenderer.Channel.SMS
                : MessageRenderer.Channel.EMAIL;
        boolean firstSms = channel == MessageRenderer.Channel.SMS && !claimed.toldBefore();
        String locale = claimed.locale() == null ? messages.locales().get(0) : claimed.locale();
        String zone = claimed.timeZone() == null ? "UTC" : claimed.timeZone();
        Instant promise = QuietHours.promiseFor(source.nextUpdateBy(), source.severity(), ZoneId.of(zone),
                claimed.quietStart(), claimed.quietEnd(), incidentConfig.promiseMargin());
        boolean withCode = claimed.goodwillCode() != null && source.content().hasGoodwill();
        String codeSlot = withCode ? cache.goodwillSlot(claimed.incidentId(), goodwill) : null;
        Variant variant = cache.variants.computeIfAbsent(claimed.updateId() + "|" + locale + "|" + zone + "|" + channel
                + "|" + firstSms + "|" + promise + "|" + withCode, k -> {
                    MessageRenderer.Rendered made = renderer.render(templates.version(source.templateVersion()),
                            source.content().withNextUpdateBy(promise), new MessageRenderer.Recipient(locale,
                                    ZoneId.of(zone), channel, firstSms, TOKEN_SLOT, ShortLinks.SLOT, codeSlot));
                    return new Variant(made, variantId(claimed, channel, made, codeSlot));
                });
        MessageRenderer.Rendered rendered = variant.rendered();
        long variantId = variant.id();
        if (channel == MessageRenderer.Channel.SMS) {
            String text = withCode ? rendered.sms().replace(codeSlot, claimed.goodwillCode()) : rendered.sms();
            return new Prepared(text, SmsText.segments(text), null, variantId, rendered.smsLink());
        }
        String token = tokenFor(claimed);
        String base = messages.publicBaseUrl();
        String host = URI.create(base).getHost();
        return new Prepared(null, 0, new EmailSender.Email(claimed.id(), claimed.address(), rendered.subject(),
                personal(rendered.html(), token, codeSlot, claimed.goodwillCode()),
                personal(rendered.text(), token, codeSlot, claimed.goodwillCode()),
                EmailSender.messageId(claimed.id(), claimed.attemptId(), host),
                base + "/self-service/unsubscribe?token=" + (token == null ? "" : token)), variantId, false);
    }

    /** The stored variant of a rendering (what the delivery log shows, without anyone's link or code), written once. */
    private long variantId(Claimed claimed, MessageRenderer.Channel channel, MessageRenderer.Rendered rendered,
            String codeSlot) {
        String body = channel == MessageRenderer.Channel.SMS
                ? rendered.sms().replace(ShortLinks.SLOT, DeliveryLog.LINK_PLACEHOLDER)
                : rendered.text().replace(TOKEN_SLOT, DeliveryLog.TOKEN_PLACEHOLDER);
        String stored = codeSlot == null ? body : body.replace(codeSlot, DeliveryLog.GOODWILL_PLACEHOLDER);
        String subject = rendered.subject();
        String hash = Hashes.sha256Hex(String.valueOf(claimed.updateId()), channel.name(),
                String.valueOf(subject), stored);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                insert into message_variant (incident_update_id, content_hash, channel, subject, body, created_at)
                values (?1, ?2, ?3, ?4, ?5, ?6)
                on conflict (content_hash) do update set content_hash = excluded.content_hash
                returning id""")
                .setParameter(1, claimed.updateId()).setParameter(2, hash).setParameter(3, claimed.channel().name())
                .setParameter(4, subject).setParameter(5, stored).setParameter(6, Timestamp.from(clock.instant()))
                .getSingleResult()).longValue());
    }

    /** A shared rendering made the recipient's own: their link token and goodwill code put in. */
    private static String personal(String rendered, String token, String codeSlot, String code) {
        if (rendered == null) {
            return null;
        }
        String text = rendered.replace(TOKEN_SLOT, token == null ? "preview" : token);
        return codeSlot == null ? text : text.replace(codeSlot, code);
    }

    /** Per batch: each update's message source and each shared rendering, read and made once. */
    static final class RenderCache {
        final Map<Long, IncidentService.MessageSource> sources = new ConcurrentHashMap<>();
        final Map<String, Variant> variants = new ConcurrentHashMap<>();
        final Map<Long, String> goodwillSlots = new ConcurrentHashMap<>();

        /** Stands for a goodwill code in a shared rendering: as long as the pool's longest code. */
        String goodwillSlot(long incidentId, GoodwillCodes codes) {
            return goodwillSlots.computeIfAbsent(incidentId,
                    id -> "GWc0dE" + "x".repeat(Math.max(0, codes.longest(id) - 6)));
        }
    }

    /** One rendering shared by recipients alike in update, locale, zone, channel and footer, and its stored id. */
    record Variant(MessageRenderer.Rendered rendered, long id) {
    }

    private void keepTextForReconciliation(Claimed claimed, String text) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update notification set sent_text = ?1 where id = ?2 and attempt_id = cast(?3 as uuid)")
                .setParameter(1, text).setParameter(2, claimed.id()).setParameter(3, claimed.attemptId().toString())
                .executeUpdate());
    }

    /**
     * A claim whose lease ran out belongs to a worker that died (or hung) mid-send: the message
     * may have gone. An SMS becomes uncertain and is looked up at Twilio; an email follows the
     * policy — sent again (at least once) or left uncertain (at most once).
     */
    int expireLeases() {
        Instant now = clock.instant();
        boolean atLeastOnce = config.email().uncertainPolicy() == DeliveryConfig.UncertainPolicy.AT_LEAST_ONCE;
        int expired = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update notification set
                    state = case when channel = 'EMAIL' and ?1 then 'PLANNED' else 'UNCERTAIN' end,
                    uncertain_attempts = uncertain_attempts + 1, last_error = ?2, lease_until = null, updated_at = ?3
                where state = 'SENDING' and lease_until < ?3""")
                .setParameter(1, atLeastOnce).setParameter(2, LEASE_RAN_OUT).setParameter(3, Timestamp.from(now))
                .executeUpdate());
        if (expired > 0) {
            LOG.warnf("%d notification(s) were claimed by a worker that stopped; they are reconciled or sent again", expired);
            metrics.outcome(null, "uncertain", expired);
        }
        return expired;
    }

    /**
     * An SMS whose send ended without a clear answer may exist at Twilio. Before anything is sent
     * again, Twilio is asked for messages to that number since the attempt: found, it was sent;
     * not found, it is planned again; no answer, it stays uncertain for the next round. The text
     * to look for is the one kept at the attempt, or, after a lost worker, rendered again.
     */
    @SuppressWarnings("unchecked")
    void reconcileUncertain() {
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.dispatcher().lease());
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                with picked as (
                    select id from notification
                    where state = 'UNCERTAIN' and channel = 'SMS' and updated_at <= ?2
                      and (lease_until is null or lease_until < ?3)
                    order by id limit ?4 for update skip locked),
                claimed as (
                    update notification n set lease_until = ?1 from picked where n.id = picked.id
                    returning n.id, n.incident_update_id, n.incident_id, n.contact_point_id, n.subscriber_id,
                              n.attempt_id, n.attempts, n.sent_text, n.updated_at)
                %s""".formatted(SELECT_CLAIMED.formatted(", c.sent_text, c.updated_at")), Tuple.class)
                .setParameter(1, Timestamp.from(leaseUntil))
                .setParameter(2, Timestamp.from(now.minus(config.dispatcher().reconcileAfter())))
                .setParameter(3, Timestamp.from(now))
                .setParameter(4, config.dispatcher().batchSize())
                .getResultList());
        RenderCache cache = new RenderCache();
        for (Tuple row : rows) {
            long id = number(row, "id");
            String keptText = row.get("sent_text", String.class);
            Instant attemptedAt = SqlTimes.instant(row.get("updated_at"));
            Claimed claimed = claimed(row, leaseUntil);
            SmsSender.Lookup lookup;
            if (claimed.address() == null) {
                lookup = new SmsSender.Lookup(SmsSender.Found.NO, null);
            } else {
                String text = keptText != null ? keptText : renderedAgain(claimed, cache);
                lookup = sms.findSent(claimed.address(), text, attemptedAt.minus(config.dispatcher().lease())
                        .minus(Duration.ofMinutes(5)));
            }
            QuarkusTransaction.requiringNew().run(() -> {
                switch (lookup.found()) {
                    case YES -> em.createNativeQuery("""
                            update notification set state = 'SENT', provider_id = ?1, sent_text = null, lease_until = null,
                                sent_at = ?2, updated_at = ?2 where id = ?3 and state = 'UNCERTAIN'""")
                            .setParameter(1, lookup.sid()).setParameter(2, Timestamp.from(now)).setParameter(3, id)
                            .executeUpdate();
                    case NO -> em.createNativeQuery("""
                            update notification set state = 'PLANNED', next_attempt_at = null, sent_text = null,
                                lease_until = null, updated_at = ?1 where id = ?2 and state = 'UNCERTAIN'""")
                            .setParameter(1, Timestamp.from(now)).setParameter(2, id).executeUpdate();
                    case UNKNOWN -> em.createNativeQuery("update notification set lease_until = null where id = ?1")
                            .setParameter(1, id).executeUpdate();
                }
            });
            if (lookup.found() == SmsSender.Found.YES) {
                metrics.outcome(Channel.SMS, "reconciled-sent");
            }
        }
    }

    /** The SMS as it was sent, rendered again (with the short link it was given) for the lookup at Twilio. */
    private String renderedAgain(Claimed claimed, RenderCache cache) {
        Prepared prepared = prepare(claimed, cache);
        if (!prepared.needsLink()) {
            return prepared.sms();
        }
        return prepared.withShortLink(shortLinks.idsFor(List.of(new ShortLinks.Owner(claimed.id(), claimed.subscriberId())))
                .get(claimed.id())).sms();
    }

    private String tokenFor(Claimed claimed) {
        try {
            return tokens.issue(claimed.contactPointId(), claimed.address(), claimed.incidentId());
        } catch (RuntimeException notConfigured) {
            return null;
        }
    }

    private void record(Claimed claimed, SendOutcome outcome, boolean suppressed) {
        Instant now = clock.instant();
        String state;
        Instant nextAttempt = null;
        boolean atLeastOnce = config.email().uncertainPolicy() == DeliveryConfig.UncertainPolicy.AT_LEAST_ONCE;
        switch (outcome.kind()) {
            case SENT -> state = "SENT";
            case PERMANENT -> state = suppressed ? "SUPPRESSED" : "FAILED";
            case UNCERTAIN -> {
                if (claimed.channel() == Channel.EMAIL && atLeastOnce && claimed.attempts() < config.dispatcher().maxAttempts()) {
                    state = "PLANNED";
                    nextAttempt = now.plus(backoff(claimed.attempts()));
                } else {
                    state = "UNCERTAIN";
                }
            }
            case TRANSIENT -> {
                if (claimed.attempts() >= config.dispatcher().maxAttempts()) {
                    state = "FAILED";
                } else {
                    state = "PLANNED";
                    nextAttempt = now.plus(backoff(claimed.attempts()));
                }
            }
            default -> throw new IllegalStateException(outcome.kind().name());
        }
        String finalState = state;
        Instant retryAt = nextAttempt;
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            int updated = em.createNativeQuery("""
                    update notification set state = ?1, provider_id = ?2, last_error = ?3, next_attempt_at = ?4,
                        sent_at = ?5, lease_until = null, updated_at = ?6,
                        uncertain_attempts = uncertain_attempts + ?9
                    where id = ?7 and attempt_id = cast(?8 as uuid) and state = 'SENDING'""")
                    .setParameter(1, finalState).setParameter(2, outcome.providerId()).setParameter(3, outcome.error())
                    .setParameter(4, retryAt == null ? null : Timestamp.from(retryAt))
                    .setParameter(5, "SENT".equals(finalState) ? Timestamp.from(now) : null)
                    .setParameter(6, Timestamp.from(now)).setParameter(7, claimed.id())
                    .setParameter(8, claimed.attemptId().toString())
                    .setParameter(9, outcome.kind() == SendOutcome.Kind.UNCERTAIN ? 1 : 0).executeUpdate();
            if (updated == 0) {
                LOG.warnf("Notification %d was taken over before attempt %s finished", claimed.id(), claimed.attemptId());
                return false;
            }
            if (outcome.kind() == SendOutcome.Kind.PERMANENT && !suppressed) {
                if (Integer.valueOf(21610).equals(outcome.providerCode())) {
                    consent.markOptedOutByCarrier(claimed.contactPointId());
                } else {
                    consent.markBounced(claimed.contactPointId());
                }
                if (config.fallback()) {
                    planner.planFallback(claimed.id(), now);
                }
            }
            return true;
        });
        metrics.outcome(claimed.channel(), outcomeName(outcome, finalState));
        if (recorded && "SENT".equals(finalState)) {
            metrics.firstSend(claimed.updateId(), now);
        }
    }

    private static String outcomeName(SendOutcome outcome, String state) {
        return switch (state) {
            case "SENT" -> "sent";
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
            // the loops record what their last batches sent; one waiting for a paced slot is woken
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
