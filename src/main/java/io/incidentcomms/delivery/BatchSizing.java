package io.incidentcomms.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.incidentcomms.audience.Channel;

/**
 * How many claims one batch should take: what its senders get through in half a lease at the
 * pace sends took lately (a moving average per channel), so a slow provider means smaller
 * batches instead of claims that sit unsent while other replicas could send them.
 */
final class BatchSizing {

    /** Weight of the newest send in the moving average. */
    private static final double WEIGHT = 0.2;

    private final Map<Channel, Double> averageMillis = new ConcurrentHashMap<>();

    void took(Channel channel, Duration send) {
        double millis = Math.max(1, send.toNanos() / 1e6);
        averageMillis.merge(channel, millis, (average, latest) -> average + WEIGHT * (latest - average));
    }

    /** At most {@code wanted}; never fewer than the senders that work in parallel. */
    int claims(Channel channel, int wanted, Duration lease, int senders) {
        Double average = averageMillis.get(channel);
        if (average == null) {
            return wanted;
        }
        long fit = (long) (lease.toMillis() / 2.0 / average * senders);
        return (int) Math.min(wanted, Math.max(senders, fit));
    }
}
