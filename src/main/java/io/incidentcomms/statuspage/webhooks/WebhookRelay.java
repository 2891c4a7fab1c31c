package io.incidentcomms.statuspage.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.events.OutboundEvents;
import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.persistence.Relays;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Sends what {@link WebhookOutbox} wrote to subscribers' endpoints. Before every request, and
 * every redirect, the endpoint's name is resolved afresh and every address checked to be public
 * ({@link PublicAddresses}); the connection then goes to that checked address, so a second lookup
 * cannot point it elsewhere. Each request is signed ({@code X-Webhook-Signature: v1=<hex>}, the
 * HMAC-SHA256 of {@code timestamp.body} with the endpoint's secret) and carries the delivery's id,
 * the same on every retry. What the endpoint answers is not read (only its status and Location);
 * the connection is closed instead. An endpoint that does not take an update is tried again,
 * doubling from the retry base with jitter, for a day; then the endpoint is disabled, what waits for
 * it given up, and its contact told.
 */
@ApplicationScoped
public class WebhookRelay {

    private static final Logger LOG = Logger.getLogger(WebhookRelay.class);
    /** Longer than a batch can take (five deliveries, each up to four hops of at most 11 s). */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);
    private static final int BATCH = 5;
    private static final int MOST_REDIRECTS = 3;

    /** A claimed delivery with its endpoint; {@code claim} is its lease's end, which only this worker wrote. */
    record Claimed(long id, long subscriptionId, String url, String secret, String contactEmail, String body, int attempts,
            Instant createdAt, Instant claim) {
        static Claimed of(Tuple row) {
            return new Claimed(row.get("id", Number.class).longValue(), row.get("subscription_id", Number.class).longValue(),
                    row.get("url", String.class), row.get("signing_secret", String.class),
                    row.get("contact_email", String.class), row.get("body", String.class),
                    row.get("attempts", Number.class).intValue(), SqlTimes.instant(row.get("created_at")),
                    SqlTimes.instant(row.get("claimed_until")));
        }
    }

    private final WebhooksConfig config;
    private final EntityManager em;
    private final Clock clock;
    private final EmailSender email;
    private final OutboundEvents events;
    private final PublicAddresses addresses;
    private final HttpClient http;

    WebhookRelay(WebhooksConfig config, EntityManager em, Clock clock, EmailSender email, OutboundEvents events,
            Vertx vertx) {
        this.config = config;
        this.em = em;
        this.clock = clock;
        this.email = email;
        this.events = events;
        this.addresses = new PublicAddresses(config.allowLoopback());
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeout().toMillis())
                .setIdleTimeout((int) config.timeout().toSeconds()).setVerifyHost(true).setForceSni(true)
                .setKeepAlive(false).setMaxPoolSize(4));
    }

    @Scheduled(every = "${comms.webhooks.interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RelayDisabled.class)
    void relayScheduled() {
        relayDue();
    }

    /** Sends what is due now; returns how many endpoints took theirs. */
    public int relayDue() {
        return Relays.drain(this::claim, this::send, BATCH);
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim() {
        Instant now = clock.instant();
        Instant claim = now.plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                with due as (
                    select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
                    where d.delivered_at is null and d.failed_at is null and d.next_attempt_at <= ?1
                      and (d.claimed_until is null or d.claimed_until < ?1) and s.disabled_at is null
                    order by d.id limit ?3 for update of d skip locked),
                claimed as (
                    update webhook_delivery d set claimed_until = ?2, attempts = d.attempts + 1 from due where d.id = due.id
                    returning d.id, d.subscription_id, d.body, d.attempts, d.created_at, d.claimed_until)
                select c.*, s.url, s.signing_secret, s.contact_email
                from claimed c join webhook_subscription s on s.id = c.subscription_id order by c.id""", Tuple.class)
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(claim))
                .setParameter(3, BATCH).getResultList());
        return rows.stream().map(Claimed::of).toList();
    }

    private boolean send(Claimed delivery) {
        String outcome;
        try {
            outcome = post(delivery);
        } catch (PublicAddresses.Refused refused) {
            outcome = "the endpoint " + refused.getMessage();
        } catch (RuntimeException e) {
            // a redirect to something that is no URL, say: this delivery fails, the batch goes on
            outcome = "the endpoint could not be called (" + e.getClass().getSimpleName() + ")";
        }
        if (outcome == null) {
            QuarkusTransaction.requiringNew().run(() -> {
                int settled = em.createNativeQuery("""
                        update webhook_delivery set delivered_at = ?3, claimed_until = null, last_error = null
                        where id = ?1 and claimed_until = ?2""").setParameter(1, delivery.id())
                        .setParameter(2, Timestamp.from(delivery.claim())).setParameter(3, Timestamp.from(clock.instant()))
                        .executeUpdate();
                if (settled > 0) {
                    em.createNativeQuery("update webhook_subscription set consecutive_failures = 0 where id = ?1")
                            .setParameter(1, delivery.subscriptionId()).executeUpdate();
                }
            });
            return true;
        }
        failed(delivery, outcome);
        return false;
    }

    /** Posts the delivery, following up to three redirects, each checked; null when the endpoint took it, else why not. */
    private String post(Claimed delivery) throws PublicAddresses.Refused {
        String url = delivery.url();
        for (int hop = 0; hop <= MOST_REDIRECTS; hop++) {
            PublicAddresses.Checked checked = addresses.check(url);
            String timestamp = String.valueOf(clock.instant().getEpochSecond());
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(checked.url().toString())
                    .setServer(SocketAddress.inetSocketAddress(checked.port(), checked.address().getHostAddress()))
                    .setTimeout(config.timeout().toMillis()).setFollowRedirects(false)
                    .putHeader("Content-Type", "application/json").putHeader("User-Agent", "incident-comms-webhooks")
                    .putHeader("X-Webhook-Id", String.valueOf(delivery.id()))
                    .putHeader("X-Webhook-Timestamp", timestamp)
                    .putHeader("X-Webhook-Signature", "v1=" + sign(delivery.secret(), timestamp + "." + delivery.body()));
            AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
            Map.Entry<Integer, String> answer;
            try {
                answer = http.request(request)
                        .compose(req -> {
                            sent.set(req);
                            return req.send(Buffer.buffer(delivery.body()));
                        })
                        .map(response -> {
                            // the status is all we need; an endpoint that streams an endless answer must not fill memory
                            Map.Entry<Integer, String> status = Map.entry(response.statusCode(),
                                    String.valueOf(response.getHeader("Location")));
                            response.request().connection().close();
                            return status;
                        })
                        .toCompletionStage().toCompletableFuture()
                        .get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reset(sent.get());
                return "interrupted";
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                reset(sent.get());
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            int status = answer.getKey();
            if (status / 100 == 2) {
                return null;
            }
            if (status / 100 == 3 && !"null".equals(answer.getValue())) {
                url = URI.create(url).resolve(answer.getValue()).toString();
                continue;
            }
            return "the endpoint answered " + status;
        }
        return "more than " + MOST_REDIRECTS + " redirects";
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    private void failed(Claimed delivery, String error) {
        Instant now = clock.instant();
        String reason = error.length() > 900 ? error.substring(0, 900) : error;
        boolean givenUp = delivery.createdAt().plus(config.giveUpAfter()).isBefore(now);
        Instant next = Relays.nextAttempt(now, config.retryBase(), delivery.attempts(), LONGEST_WAIT);
        boolean settled = QuarkusTransaction.requiringNew().call(() -> {
            int changed = em.createNativeQuery("""
                    update webhook_delivery set claimed_until = null, last_error = ?3, next_attempt_at = ?4,
                        failed_at = case when ?5 then cast(?6 as timestamptz) end where id = ?1 and claimed_until = ?2""")
                    .setParameter(1, delivery.id()).setParameter(2, Timestamp.from(delivery.claim()))
                    .setParameter(3, reason).setParameter(4, Timestamp.from(next)).setParameter(5, givenUp)
                    .setParameter(6, Timestamp.from(now)).executeUpdate();
            if (changed > 0) {
                em.createNativeQuery("update webhook_subscription set consecutive_failures = consecutive_failures + 1"
                        + " where id = ?1").setParameter(1, delivery.subscriptionId()).executeUpdate();
            }
            return changed > 0;
        });
        if (!settled) {
            return;
        }
        LOG.infof("Webhook delivery %d to %s not taken (%s)%s", delivery.id(), hostOf(delivery.url()), reason,
                givenUp ? "; given up after " + config.giveUpAfter() : "; trying again at " + next);
        if (givenUp) {
            disable(delivery, "an update could not be delivered for " + config.giveUpAfter() + "; the last answer: "
                    + reason);
        }
    }

    /** Disables the endpoint, gives up what waits for it, and tells its contact and ops (by an event). */
    private void disable(Claimed delivery, String reason) {
        Instant now = clock.instant();
        boolean disabled = QuarkusTransaction.requiringNew().call(() -> {
            int changed = em.createNativeQuery("""
                    update webhook_subscription set disabled_at = ?2, disabled_reason = ?3 where id = ?1 and disabled_at is null""")
                    .setParameter(1, delivery.subscriptionId()).setParameter(2, Timestamp.from(now)).setParameter(3, reason)
                    .executeUpdate();
            if (changed > 0) {
                em.createNativeQuery("""
                        update webhook_delivery set failed_at = ?2, last_error = 'the endpoint was disabled'
                        where subscription_id = ?1 and delivered_at is null and failed_at is null""")
                        .setParameter(1, delivery.subscriptionId()).setParameter(2, Timestamp.from(now)).executeUpdate();
                events.record("webhook.disabled", null, Map.of("subscription", delivery.subscriptionId(),
                        "host", hostOf(delivery.url()), "reason", reason));
            }
            return changed > 0;
        });
        if (!disabled) {
            return;
        }
        LOG.warnf("Webhook subscription %d (%s) disabled: %s", delivery.subscriptionId(), hostOf(delivery.url()), reason);
        if (delivery.contactEmail() != null) {
            email.sendPlain(delivery.contactEmail(), "Your status webhook was disabled",
                    "We stopped sending status updates to your webhook at " + hostOf(delivery.url()) + " because "
                            + reason + ".\n\nFix the endpoint and subscribe it again to receive updates.");
        }
    }

    /** The signature an endpoint checks: HMAC-SHA256 of {@code timestamp.body} under its secret, as hex. */
    static String sign(String secret, String payload) {
        return Hashes.hmacSha256Hex(secret, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Only the host goes into logs and events: a webhook's path often carries a token. */
    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "(no host)" : host;
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }

    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {
        private final WebhooksConfig config;

        RelayDisabled(WebhooksConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.relayEnabled();
        }
    }
}
