package io.incidentcomms.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/** Advice on ops text before customers read it: warnings, never errors. */
@ApplicationScoped
public class OpsTextCheck {

    /** Room the brand, acknowledgement, options and confirm need next to the explain text in an SMS. */
    private static final int SMS_ROOM_FOR_THE_REST = 140;
    private static final Pattern TIME_FRAME = Pattern.compile(
            "(?i)(\\d{1,2}[:.]\\d{2}|\\d+\\s*(min|minute|minutes|h|hour|hours|stunde|stunden|minuten|day|days|tag|tage)\\b"
                    + "|\\b(today|tonight|tomorrow|heute|morgen|until|by|bis|within|innerhalb)\\b)");

    private final MessageConfig config;

    OpsTextCheck(MessageConfig config) {
        this.config = config;
    }

    public List<String> warnings(Map<String, String> explain, Instant nextUpdateBy, Instant expectedEndAt) {
        List<String> warnings = new ArrayList<>();
        if (explain == null || explain.isEmpty()) {
            return warnings;
        }
        int budget = config.smsMaxSegments() * 153 - SMS_ROOM_FOR_THE_REST;
        boolean anyTimeFrame = nextUpdateBy != null || expectedEndAt != null;
        for (Map.Entry<String, String> text : explain.entrySet()) {
            String normalized = SmsText.normalize(text.getValue());
            if (SmsText.measure(normalized).units() > budget) {
                warnings.add("explain[" + text.getKey() + "] is too long for " + config.smsMaxSegments()
                        + " SMS segments: SMS recipients get the short form");
            }
            String lower = text.getValue().toLowerCase(Locale.ROOT);
            for (String blame : config.blameWords()) {
                if (lower.contains(blame.toLowerCase(Locale.ROOT))) {
                    warnings.add("explain[" + text.getKey() + "] blames someone (\"" + blame + "\"): state the facts instead");
                }
            }
            anyTimeFrame |= TIME_FRAME.matcher(text.getValue()).find();
        }
        if (!anyTimeFrame) {
            warnings.add("no time frame: say since when, or when you expect a fix or the next update");
        }
        return warnings;
    }
}
