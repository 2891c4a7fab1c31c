package io.incidentcomms.platform.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Singleton;

/**
 * Waiting for a moment on the service's clock. Production sleeps; a simulation replaces this
 * bean to move its clock instead, so a simulated day runs as fast as the work in it.
 */
@Singleton
public class Pauses {

    private final Clock clock;

    public Pauses(Clock clock) {
        this.clock = clock;
    }

    /** Returns at {@code at} (at once if it is past); false if interrupted while waiting. */
    public boolean until(Instant at) {
        long millis = Duration.between(clock.instant(), at).toMillis();
        if (millis <= 0) {
            return true;
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
