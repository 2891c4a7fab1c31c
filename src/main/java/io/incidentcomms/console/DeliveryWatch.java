package io.incidentcomms.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.audience.Masking;
import io.incidentcomms.delivery.DeliveryLog;
import io.incidentcomms.feedback.FeedbackSummary;
import io.incidentcomms.incident.IncidentQueries;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How an incident's messages are going out, for the console's live panel: per channel how many
 * are sent, waiting, failed and uncertain, the rate over the last minute and the time to everyone
 * at that rate; what came back (answers per option, still affected, free replies); who could not
 * be reached, masked.
 */
@ApplicationScoped
public class DeliveryWatch {

    static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    static final int NOT_REACHED_SHOWN = 10;

    public record ChannelProgress(String channel, long total, long sent, long waiting, long failed, long uncertain,
            long other, long perMinute, String timeToEveryone) {
        public boolean done() {
            return waiting == 0;
        }
    }

    public record NotReached(String subscriber, String contact, String reasons) {
    }

    public record Watch(List<ChannelProgress> channels, long total, long waiting,
            List<FeedbackSummary.OptionCount> answers, long stillAffected, long freeReplies,
            List<FeedbackSummary.Reply> replies, long notReachedCount, List<NotReached> notReached) {
    }

    private final DeliveryLog log;
    private final FeedbackSummary feedback;
    private final IncidentQueries incidents;
    private final Clock clock;

    DeliveryWatch(DeliveryLog log, FeedbackSummary feedback, IncidentQueries incidents, Clock clock) {
        this.log = log;
        this.feedback = feedback;
        this.incidents = incidents;
        this.clock = clock;
    }

    public Watch of(String key) {
        DeliveryLog.Progress progress = log.progress(key, clock.instant().minus(RATE_WINDOW));
        DeliveryLog.Summary summary = progress.summary();
        Map<String, Long> lastMinute = progress.sentSince();
        List<ChannelProgress> channels = new ArrayList<>();
        long waitingAll = 0;
        for (Map.Entry<String, Map<String, Long>> channel : summary.perChannel().entrySet()) {
            Map<String, Long> s = new LinkedHashMap<>(channel.getValue());
            long total = s.values().stream().mapToLong(Long::longValue).sum();
            long sent = s.getOrDefault("sent", 0L) + s.getOrDefault("delivered", 0L);
            long waiting = s.getOrDefault("planned", 0L) + s.getOrDefault("sending", 0L);
            long failed = s.getOrDefault("failed", 0L);
            long uncertain = s.getOrDefault("uncertain", 0L);
            long perMinute = lastMinute.getOrDefault(channel.getKey(), 0L);
            waitingAll += waiting;
            channels.add(new ChannelProgress(channel.getKey(), total, sent, waiting, failed, uncertain,
                    total - sent - waiting - failed - uncertain, perMinute, eta(waiting, perMinute)));
        }
        FeedbackSummary.Feedback back = feedback.of(incidents.audienceTarget(key).incidentId());
        List<NotReached> notReached = back.notReachedSample().stream().limit(NOT_REACHED_SHOWN)
                .map(n -> new NotReached(n.subscriber(), n.email() != null ? Masking.email(n.email())
                        : n.phone() != null ? Masking.phone(n.phone()) : "", n.reasons()))
                .toList();
        return new Watch(channels, summary.total(), waitingAll, back.answers(), back.stillAffected(), back.freeReplies(),
                back.latestReplies(), back.notReached(), notReached);
    }

    static String eta(long waiting, long perMinute) {
        if (waiting == 0) {
            return "everyone reached";
        }
        if (perMinute == 0) {
            return "not moving in the last minute";
        }
        long seconds = Math.max(1, waiting * 60 / perMinute);
        return seconds < 120 ? "about " + seconds + " s" : "about " + (seconds + 59) / 60 + " min";
    }

    static String timeLeft(Instant promise, Instant now) {
        if (promise == null) {
            return null;
        }
        Duration left = Duration.between(now, promise);
        if (left.isNegative()) {
            return "overdue by " + Math.max(1, -left.toMinutes()) + " min";
        }
        return left.toMinutes() + " min left";
    }
}
