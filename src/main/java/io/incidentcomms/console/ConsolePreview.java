package io.incidentcomms.console;

import java.util.List;
import java.util.Map;

import io.incidentcomms.console.MessageSamples.Sample;
import io.incidentcomms.message.MessageReview;

/**
 * What the preview panel shows: each language's messages, the review (audience and warnings), the
 * promise the update would make, or why the form cannot be previewed yet; for a saved draft also
 * how many subscribers each scope brings (the live preview leaves that out: it costs another count).
 */
public record ConsolePreview(List<Sample> samples, MessageReview.Review review, String promise,
        Map<String, String> errors, Map<String, Long> subscribersPerScope) {

    public ConsolePreview(List<Sample> samples, MessageReview.Review review, String promise, Map<String, String> errors) {
        this(samples, review, promise, errors, Map.of());
    }

    public static ConsolePreview empty() {
        return new ConsolePreview(List.of(), null, null, Map.of("", "Write a title and an explanation to see the messages."));
    }

    public static ConsolePreview invalid(Map<String, String> errors) {
        return new ConsolePreview(List.of(), null, null, errors);
    }

    public long recipients() {
        return review == null ? 0 : review.recipients();
    }

    public boolean ready() {
        return errors.isEmpty();
    }

    public List<String> warnings() {
        return review == null || review.warnings() == null ? List.of() : review.warnings();
    }

    /** Recipients per channel, as counted for the review. */
    public Map<String, Long> perChannel() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        if (review != null) {
            for (MessageReview.Rendering r : review.renderings()) {
                counts.merge(r.channel(), r.recipients(), Long::sum);
            }
        }
        return counts;
    }
}
