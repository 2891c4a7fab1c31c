package io.incidentcomms.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The lease one batch of claims holds. Before each send the worker makes sure the lease outlasts
 * the send's deadline, renewing it for the whole batch when it would not; a claim that is no longer
 * the worker's (its lease ran out and another worker took it) is not sent. So a batch slower than
 * its lease never sends a message another worker sends too.
 */
final class BatchLease {

    private final NotificationQueue queue;
    private final Clock clock;
    private final Duration length;
    private final List<Claimed> claims;
    private Instant until;
    private Set<Long> ours;

    BatchLease(NotificationQueue queue, Clock clock, Duration length, Instant until, List<Claimed> claims) {
        this.queue = queue;
        this.clock = clock;
        this.length = length;
        this.until = until;
        this.claims = claims;
        this.ours = claims.stream().map(Claimed::id).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether the claim is still this worker's for at least {@code needed} from now, renewing if need be. */
    synchronized boolean holds(Claimed claimed, Duration needed) {
        Instant now = clock.instant();
        if (now.plus(needed).isAfter(until)) {
            until = now.plus(length);
            ours = queue.renew(claims, until);
        }
        return ours.contains(claimed.id());
    }

    synchronized Instant until() {
        return until;
    }
}
