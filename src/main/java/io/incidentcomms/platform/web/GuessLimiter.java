package io.incidentcomms.platform.web;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slows down guessing: a client that asks for more than {@value #MISSES_PER_MINUTE} things that
 * are not there (short link ids) within a minute is refused with 429 for the rest of that minute.
 * Per replica and per client address; enough to make guessing an 8-character id hopeless.
 */
@ApplicationScoped
public class GuessLimiter {

    static final int MISSES_PER_MINUTE = 30;
    private static final int MAX_CLIENTS = 100_000;

    private final Clock clock;
    private final Map<String, long[]> misses = new ConcurrentHashMap<>();

    GuessLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Refuses a client that missed too often this minute. */
    public void check(String client) {
        long[] window = misses.get(client);
        if (window != null && window[0] == minute() && window[1] >= MISSES_PER_MINUTE) {
            throw new ProblemException(429, "too-many-guesses", "Too Many Requests",
                    "Too many requests for pages that are not there; try again in a minute");
        }
    }

    public void miss(String client) {
        long minute = minute();
        if (misses.size() > MAX_CLIENTS) {
            misses.entrySet().removeIf(e -> e.getValue()[0] != minute);
        }
        misses.compute(client, (k, window) -> window == null || window[0] != minute ? new long[] { minute, 1 }
                : new long[] { minute, window[1] + 1 });
    }

    private long minute() {
        return clock.millis() / 60_000;
    }
}
