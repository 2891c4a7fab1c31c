package io.incidentcomms.platform.time;

import java.time.Clock;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Business code takes time from this {@link Clock} (always UTC) and never from {@code now()} in SQL,
 * so tests can move time forward instead of sleeping.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock systemClock(TimeConfig config) {
        return config.offset().isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), config.offset());
    }
}
