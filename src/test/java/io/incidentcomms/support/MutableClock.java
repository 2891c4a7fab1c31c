package io.incidentcomms.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand; it follows the system clock until a test moves or freezes it. */
public class MutableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<Instant> frozenAt = new AtomicReference<>();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant frozen = frozenAt.get();
        return (frozen != null ? frozen : Instant.now()).plus(offset.get());
    }

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    /** Moves a stopped clock forward to {@code at}; never back (several threads may wait at once). */
    public synchronized void advanceTo(Instant at) {
        Instant now = instant();
        if (at.isAfter(now)) {
            offset.updateAndGet(current -> current.plus(Duration.between(now, at)));
        }
    }

    /** Stops the clock at {@code at}; it moves only by {@link #advance} until {@link #reset}. */
    public void freezeAt(Instant at) {
        offset.set(Duration.ZERO);
        frozenAt.set(at);
    }

    public void reset() {
        frozenAt.set(null);
        offset.set(Duration.ZERO);
    }
}
