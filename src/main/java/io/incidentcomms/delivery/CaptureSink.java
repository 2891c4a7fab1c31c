package io.incidentcomms.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The no-services run's stand-in for SMTP and Twilio: the senders hand their messages here, and
 * {@code /local/messages} shows them. Keeps the latest messages in memory only.
 */
@ApplicationScoped
public class CaptureSink {

    static final int KEPT = 500;

    public record Captured(String id, Instant at, String channel, String to, String subject, String text, String html) {
    }

    private final Deque<Captured> messages = new ArrayDeque<>();
    private final Clock clock;

    CaptureSink(Clock clock) {
        this.clock = clock;
    }

    synchronized SendOutcome capture(String channel, String to, String subject, String text, String html) {
        String id = "captured-" + UUID.randomUUID();
        messages.addFirst(new Captured(id, clock.instant(), channel, to, subject, text, html));
        while (messages.size() > KEPT) {
            messages.removeLast();
        }
        return SendOutcome.sent(id);
    }

    /** Newest first. */
    public synchronized List<Captured> messages() {
        return new ArrayList<>(messages);
    }
}
