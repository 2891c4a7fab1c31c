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
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

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
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);
    private static final int BATCH = 20;

    /** A claimed message, read by column name. */
    record Claimed(long id, String destination, String body, int attempts, Instant createdAt) {
        static Claimed of(Tuple row) {
            return new Claimed(row.get("id", Number.class).longValue(), row.get("destination", String.class),
                    row.get("body", String.class), row.get("attempts", Number.class).intValue(),
                    SqlTimes.instant(row.get("created_at")));
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
        int taken = 0;
        List<Claimed> batch;
        do {
            batch = claim();
            for (Claimed message : batch) {
                if (send(message)) {
                    taken++;
                }
            }
        } while (batch.size() == BATCH);
        return taken;
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim() {
        Instant now = clock.instant();
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update chat_message set claimed_until = ?2, attempts = attempts + 1
                where id in (select id from chat_message
                             where delivered_at is null and failed_at is null and next_attempt_at <= ?1
                               and (claimed_until is null or claimed_until < ?1)
                             order by id limit ?3 for update skip locked)
                returning id, destination, body, attempts, created_at""", Tuple.class)
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now.plus(LEASE)))
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
                record(message.id(), "update chat_message set delivered_at = ?2, claimed_until = null, last_error = null"
                        + " where id = ?1", null);
                return true;
            }
            if (status / 100 == 4 && status != 408 && status != 429) {
                fail(message, "the webhook answered " + status + ": " + abbreviate(answer.body()));
                return false;
            }
            retry(message, "the webhook answered " + status);
        } catch (java.io.IOException | IllegalArgumentException e) {
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
        long base = config.relay().retryBase().toMillis() << Math.min(message.attempts() - 1, 20);
        long wait = Math.min(base, LONGEST_WAIT.toMillis());
        wait += ThreadLocalRandom.current().nextLong(Math.max(1, wait / 5));
        Instant next = now.plusMillis(wait);
        LOG.infof("Chat message %d to %s not taken (%s); trying again at %s", message.id(), message.destination(),
                abbreviate(error), next);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update chat_message set next_attempt_at = ?2, claimed_until = null, last_error = ?3 where id = ?1""")
                .setParameter(1, message.id()).setParameter(2, Timestamp.from(next)).setParameter(3, abbreviate(error))
                .executeUpdate());
    }

    private void fail(Claimed message, String error) {
        LOG.errorf("Chat message %d to %s given up: %s", message.id(), message.destination(), abbreviate(error));
        record(message.id(), "update chat_message set failed_at = ?2, claimed_until = null, last_error = ?3 where id = ?1",
                abbreviate(error));
    }

    private void record(long id, String sql, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = em.createNativeQuery(sql).setParameter(1, id).setParameter(2, Timestamp.from(clock.instant()));
            if (error != null) {
                query.setParameter(3, error);
            }
            query.executeUpdate();
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
