package io.incidentcomms.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.incidentcomms.platform.persistence.Relays;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Sends the chat messages {@link ChatOutbox} wrote. A replica claims a batch with a lease (so
 * replicas never send one twice at once), posts each outside any transaction, and records the
 * answer: taken, or tried again later (doubling from the retry base, with jitter, up to ten
 * minutes) until the chat service takes it or a day has passed. A webhook that answers it does not
 * exist or refuses the message (4xx other than 408 and 429) is not tried again: that is a setting
 * to fix, logged once.
 */
@ApplicationScoped
public class ChatRelay {

    private static final Logger LOG = Logger.getLogger(ChatRelay.class);
    /** Longer than a batch can take (five messages of at most 15 s each), so no other replica takes one over meanwhile. */
    private static final Duration LEASE = Duration.ofMinutes(3);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);
    private static final int BATCH = 5;

    /** A claimed message, read by column name; {@code claim} is its lease's end, which only this worker wrote. */
    record Claimed(long id, String destination, String body, int attempts, Instant createdAt, Instant claim) {
        static Claimed of(Tuple row) {
            return new Claimed(row.get("id", Number.class).longValue(), row.get("destination", String.class),
                    row.get("body", String.class), row.get("attempts", Number.class).intValue(),
                    SqlTimes.instant(row.get("created_at")), SqlTimes.instant(row.get("claimed_until")));
        }
    }

    private final ChatConfig config;
    private final EntityManager em;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    ChatRelay(ChatConfig config, EntityManager em, Clock clock) {
        this.config = config;
        this.em = em;
        this.clock = clock;
    }

    @Scheduled(every = "${comms.chat.relay.interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RelayDisabled.class)
    void relayScheduled() {
        relayDue();
    }

    /** Sends what is due now; returns how many the chat services took. */
    public int relayDue() {
        if (config.destinations().isEmpty()) {
            return 0;
        }
        return Relays.drain(this::claim, this::send, BATCH);
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim() {
        Instant now = clock.instant();
        Instant claim = now.plus(LEASE).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update chat_message set claimed_until = ?2, attempts = attempts + 1
                where id in (select id from chat_message
                             where delivered_at is null and failed_at is null and next_attempt_at <= ?1
                               and (claimed_until is null or claimed_until < ?1)
                             order by id limit ?3 for update skip locked)
                returning id, destination, body, attempts, created_at, claimed_until""", Tuple.class)
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(claim))
                .setParameter(3, BATCH).getResultList());
        return rows.stream().map(Claimed::of).sorted(java.util.Comparator.comparingLong(Claimed::id)).toList();
    }

    private boolean send(Claimed message) {
        ChatConfig.Destination destination = config.destinations().get(message.destination());
        if (destination == null) {
            fail(message, "the destination is no longer configured");
            return false;
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(destination.url()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(message.body())).build(), HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            if (status / 100 == 2) {
                return settle(message, "delivered_at = ?3, last_error = null", clock.instant());
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                fail(message, "the webhook answered " + status + ": " + abbreviate(answer.body()));
                return false;
            }
            retry(message, "the webhook answered " + status);
        } catch (IllegalArgumentException e) {
            // its message would quote the webhook's URL, which is a secret
            fail(message, "the destination's URL is not a valid URL");
        } catch (java.io.IOException e) {
            retry(message, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retry(message, "interrupted");
        }
        return false;
    }

    private void retry(Claimed message, String error) {
        Instant now = clock.instant();
        if (message.createdAt().plus(config.relay().giveUpAfter()).isBefore(now)) {
            fail(message, "given up after " + config.relay().giveUpAfter() + "; last: " + error);
            return;
        }
        Instant next = Relays.nextAttempt(now, config.relay().retryBase(), message.attempts(), LONGEST_WAIT);
        LOG.infof("Chat message %d to %s not taken (%s); trying again at %s", message.id(), message.destination(),
                abbreviate(error), next);
        settle(message, "next_attempt_at = ?3, last_error = ?4", next, abbreviate(error));
    }

    private void fail(Claimed message, String error) {
        LOG.errorf("Chat message %d to %s given up: %s", message.id(), message.destination(), abbreviate(error));
        settle(message, "failed_at = ?3, last_error = ?4", clock.instant(), abbreviate(error));
    }

    /**
     * Records what became of a message, if the claim is still this worker's (a worker whose lease
     * ran out must not overwrite what the one that took over recorded); false otherwise.
     */
    private boolean settle(Claimed message, String changes, Object... values) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var update = em.createNativeQuery("update chat_message set claimed_until = null, " + changes
                    + " where id = ?1 and claimed_until = ?2")
                    .setParameter(1, message.id()).setParameter(2, Timestamp.from(message.claim()));
            for (int i = 0; i < values.length; i++) {
                update.setParameter(i + 3, values[i] instanceof Instant at ? Timestamp.from(at) : values[i]);
            }
            return update.executeUpdate() > 0;
        });
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 500 ? text : text.substring(0, 500);
    }

    @ApplicationScoped
    public static class RelayDisabled implements Scheduled.SkipPredicate {
        private final ChatConfig config;

        RelayDisabled(ChatConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.relay().enabled() || config.destinations().isEmpty();
        }
    }
}
