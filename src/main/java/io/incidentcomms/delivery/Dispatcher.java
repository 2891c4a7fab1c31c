package io.incidentcomms.delivery;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Sends planned notifications. A worker claims a batch with {@code FOR UPDATE SKIP LOCKED},
 * commits it as {@code SENDING} with an attempt id and a lease, then renders and sends each one
 * with no transaction open, and records the provider's answer only if the attempt is still its
 * own. A notification whose worker died is claimed again when the lease runs out.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    record Claimed(long id, long updateId, long incidentId, long contactPointId, UUID attemptId, int attempts) {
    }

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

    Dispatcher(EntityManager em, Clock clock, DeliveryConfig config, IncidentService incidents, ConsentService consent,
            MessageTemplates templates, MessageRenderer renderer, MessageConfig messages, SelfServiceTokens tokens,
            EmailSender email, SmsSender sms) {
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
    }

    @Scheduled(every = "${comms.delivery.dispatcher.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = DispatcherDisabled.class)
    void dispatchDue() {
        while (dispatchBatch() == config.dispatcher().batchSize()) {
            // keep going while whole batches come back
        }
    }

    /** Claims and sends one batch; returns how many notifications it claimed. */
    public int dispatchBatch() {
        reconcileUncertain();
        List<Claimed> batch = claim();
        // a batch is mostly one update to many recipients: read each update's message once
        Map<Long, IncidentService.MessageSource> sources = new HashMap<>();
        for (Claimed claimed : batch) {
            SendOutcome outcome;
            try {
                outcome = send(claimed,
                        sources.computeIfAbsent(claimed.updateId(), incidents::messageSourceOfUpdate));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Notification %d could not be sent", claimed.id());
                outcome = SendOutcome.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            record(claimed, outcome);
        }
        return batch.size();
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim() {
        // candidates are over-read (twice a batch) so that rows another worker holds can be skipped
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            // the order: priority, then a turn per incident (round-robin between incidents of equal
            // priority), then age; window functions cannot be locked, so candidates come first
            List<Number> candidates = em.createNativeQuery("""
                    select id from (
                        select id, priority, row_number() over (partition by incident_id, priority order by id) as turn
                        from notification
                        where (state = 'PLANNED' and (next_attempt_at is null or next_attempt_at <= ?1))
                           or (state = 'SENDING' and lease_until < ?1)) due
                    order by priority, turn, id limit ?2""")
                    .setParameter(1, Timestamp.from(now))
                    .setParameter(2, config.dispatcher().batchSize() * 2)
                    .getResultList();
            if (candidates.isEmpty()) {
                return List.<Claimed>of();
            }
            List<Object[]> rows = em.createNativeQuery("""
                    update notification set state = 'SENDING', attempt_id = gen_random_uuid(), lease_until = ?1,
                        attempts = attempts + 1, updated_at = ?2
                    where id in (select id from notification
                                 where id = any(?3)
                                   and ((state = 'PLANNED' and (next_attempt_at is null or next_attempt_at <= ?2))
                                     or (state = 'SENDING' and lease_until < ?2))
                                 order by array_position(cast(?3 as bigint[]), id)
                                 limit ?4 for update skip locked)
                    returning id, incident_update_id, incident_id, contact_point_id, cast(attempt_id as text), attempts,
                              priority""")
                    .setParameter(1, Timestamp.from(now.plus(config.dispatcher().lease())))
                    .setParameter(2, Timestamp.from(now))
                    .setParameter(3, candidates.stream().map(Number::longValue).toArray(Long[]::new))
                    .setParameter(4, config.dispatcher().batchSize())
                    .getResultList();
            java.util.Map<Long, Integer> order = new java.util.HashMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                order.put(candidates.get(i).longValue(), i);
            }
            return rows.stream().map(r -> new Claimed(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                    ((Number) r[2]).longValue(), ((Number) r[3]).longValue(), UUID.fromString((String) r[4]),
                    ((Number) r[5]).intValue()))
                    .sorted(java.util.Comparator.comparing((Claimed c) -> order.getOrDefault(c.id(), Integer.MAX_VALUE)))
                    .toList();
        });
    }

    private SendOutcome send(Claimed claimed, IncidentService.MessageSource source) {
        Optional<ConsentService.Reachable> reachable = consent.reachable(claimed.contactPointId());
        if (reachable.isEmpty()) {
            return SendOutcome.permanentFailure("the contact point was erased");
        }
        ConsentService.Reachable to = reachable.get();
        String token = tokenFor(claimed);
        MessageRenderer.Channel channel = to.channel() == Channel.SMS ? MessageRenderer.Channel.SMS
                : MessageRenderer.Channel.EMAIL;
        boolean firstSms = channel == MessageRenderer.Channel.SMS && !toldBefore(claimed);
        MessageRenderer.Rendered rendered = renderer.render(templates.version(source.templateVersion()),
                new MessageRenderer.Content(source.kind(), source.title(), source.explain(), source.defaultLocale(),
                        source.acknowledge(), source.options(), source.confirm(), source.nextUpdateBy(), source.position()),
                new MessageRenderer.Recipient(to.locale(), ZoneId.of(to.timeZone()), channel, firstSms, token));
        String base = messages.publicBaseUrl();
        if (channel == MessageRenderer.Channel.SMS) {
            SendOutcome outcome = sms.send(to.address(), rendered.sms(),
                    URI.create(base + "/api/twilio/status?notification=" + claimed.id()));
            if (outcome.kind() == SendOutcome.Kind.UNCERTAIN) {
                keepTextForReconciliation(claimed, rendered.sms());
            }
            return outcome;
        }
        String host = URI.create(base).getHost();
        return email.send(new EmailSender.Email(to.address(), rendered.subject(), rendered.html(), rendered.text(),
                "n" + claimed.id() + "." + claimed.attemptId() + "@" + (host == null ? "localhost" : host),
                base + "/self-service/unsubscribe?token=" + (token == null ? "" : token)));
    }

    private void keepTextForReconciliation(Claimed claimed, String text) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update notification set sent_text = ?1 where id = ?2 and attempt_id = cast(?3 as uuid)")
                .setParameter(1, text).setParameter(2, claimed.id()).setParameter(3, claimed.attemptId().toString())
                .executeUpdate());
    }

    /**
     * An SMS whose send ended without a clear answer may exist at Twilio. Before anything is sent
     * again, Twilio is asked for messages to that number since the attempt: found, it was sent;
     * not found, it is planned again; no answer, it stays uncertain for the next round.
     */
    @SuppressWarnings("unchecked")
    void reconcileUncertain() {
        Instant now = clock.instant();
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update notification set lease_until = ?1
                where id in (select id from notification
                             where state = 'UNCERTAIN' and channel = 'SMS' and sent_text is not null
                               and updated_at <= ?2 and (lease_until is null or lease_until < ?3)
                             order by id limit ?4 for update skip locked)
                returning id, contact_point_id, sent_text, updated_at""")
                .setParameter(1, Timestamp.from(now.plus(config.dispatcher().lease())))
                .setParameter(2, Timestamp.from(now.minus(config.dispatcher().reconcileAfter())))
                .setParameter(3, Timestamp.from(now))
                .setParameter(4, config.dispatcher().batchSize())
                .getResultList());
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            Optional<ConsentService.Reachable> to = consent.reachable(((Number) row[1]).longValue());
            Instant attemptedAt = SqlTimes.instant(row[3]);
            SmsSender.Lookup lookup = to.isEmpty() ? new SmsSender.Lookup(SmsSender.Found.NO, null)
                    : sms.findSent(to.get().address(), (String) row[2], attemptedAt.minus(Duration.ofMinutes(5)));
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
        }
    }

    /** Whether an earlier update of this incident already reached this contact point. */
    private boolean toldBefore(Claimed claimed) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification where incident_id = ?1 and contact_point_id = ?2
                  and state in ('SENT', 'DELIVERED') and id <> ?3""")
                .setParameter(1, claimed.incidentId()).setParameter(2, claimed.contactPointId())
                .setParameter(3, claimed.id()).getSingleResult()).longValue() > 0);
    }

    private String tokenFor(Claimed claimed) {
        try {
            return tokens.issue(claimed.contactPointId(), claimed.incidentId());
        } catch (RuntimeException notConfigured) {
            return null;
        }
    }

    private void record(Claimed claimed, SendOutcome outcome) {
        Instant now = clock.instant();
        String state;
        Instant nextAttempt = null;
        switch (outcome.kind()) {
            case SENT -> state = "SENT";
            case UNCERTAIN -> state = "UNCERTAIN";
            case PERMANENT -> state = "FAILED";
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
        QuarkusTransaction.requiringNew().run(() -> {
            int updated = em.createNativeQuery("""
                    update notification set state = ?1, provider_id = ?2, last_error = ?3, next_attempt_at = ?4,
                        sent_at = ?5, lease_until = null, updated_at = ?6
                    where id = ?7 and attempt_id = cast(?8 as uuid) and state = 'SENDING'""")
                    .setParameter(1, finalState).setParameter(2, outcome.providerId()).setParameter(3, outcome.error())
                    .setParameter(4, retryAt == null ? null : Timestamp.from(retryAt))
                    .setParameter(5, "SENT".equals(finalState) ? Timestamp.from(now) : null)
                    .setParameter(6, Timestamp.from(now)).setParameter(7, claimed.id())
                    .setParameter(8, claimed.attemptId().toString()).executeUpdate();
            if (updated == 0) {
                LOG.warnf("Notification %d was taken over before attempt %s finished", claimed.id(), claimed.attemptId());
                return;
            }
            if (outcome.kind() == SendOutcome.Kind.PERMANENT) {
                if (Integer.valueOf(21610).equals(outcome.providerCode())) {
                    consent.markOptedOutByCarrier(claimed.contactPointId());
                } else {
                    consent.markBounced(claimed.contactPointId());
                }
            }
        });
    }

    /** Exponential backoff with ±20 % jitter, capped at an hour. */
    Duration backoff(int attempts) {
        long base = config.dispatcher().retryBase().toMillis() << Math.min(attempts - 1, 16);
        long capped = Math.min(base, Duration.ofHours(1).toMillis());
        long jitter = (long) (capped * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(capped + jitter);
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
