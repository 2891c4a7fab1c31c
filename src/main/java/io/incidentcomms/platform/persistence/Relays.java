package io.incidentcomms.platform.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a relay works through a table of messages waiting to go out (chat messages, subscribers'
 * webhooks): claimed batch after batch while batches come back full, and a message that was not
 * taken tried again later and later.
 */
public final class Relays {

    private Relays() {
    }

    /** Claims and sends until a batch comes back short; returns how many were taken. */
    public static <T> int drain(Supplier<List<T>> claim, Predicate<T> send, int batchSize) {
        int taken = 0;
        List<T> batch;
        do {
            batch = claim.get();
            for (T message : batch) {
                if (send.test(message)) {
                    taken++;
                }
            }
        } while (batch.size() == batchSize);
        return taken;
    }

    /**
     * When to try again after the {@code attempts}-th attempt failed: the base, doubling with each
     * attempt, never more than {@code longest} apart, plus up to a fifth more at random so that
     * endpoints that failed together are not all called again at the same moment.
     */
    public static Instant nextAttempt(Instant now, Duration base, int attempts, Duration longest) {
        long wait = Math.min(base.toMillis() << Math.min(Math.max(attempts - 1, 0), 20), longest.toMillis());
        return now.plusMillis(wait + ThreadLocalRandom.current().nextLong(Math.max(1, wait / 5)));
    }
}
