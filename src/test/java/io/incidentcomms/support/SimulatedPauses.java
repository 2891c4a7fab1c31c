package io.incidentcomms.support;

import java.time.Clock;
import java.time.Instant;

import io.incidentcomms.platform.time.Pauses;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

/** For simulations on the stopped test clock: waiting for a moment moves the clock there. */
@Alternative
@Singleton
public class SimulatedPauses extends Pauses {

    public SimulatedPauses(Clock clock) {
        super(clock);
    }

    @Override
    public boolean until(Instant at) {
        TestClockProducer.testClock().advanceTo(at);
        return true;
    }
}
