package io.incidentcomms.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Advice on the words of ops text before customers read it (blame, no time frame): warnings,
 * never errors. How long the messages come out is for {@link MessageReview}, on the real renderings.
 */
@ApplicationScoped
public class OpsTextCheck {

    private static final Pattern TIME_FRAME = Pattern.compile(
            "(?iu)(\\d{1,2}[:.h]\\d{2}|\\d+\\s*(min|minute|minutes|h|hour|hours|stunde|stunden|minuten|day|days|tag|tage"
                    + "|heure|heures|jour|jours)\\b"
                    + "|\\b(today|tonight|tomorrow|heute|morgen|until|by|bis|within|innerhalb|aujourd'hui|ce soir|demain"
                    + "|avant|jusqu'à|d'ici|depuis|since|seit)\\b)");

    private final MessageConfig config;

    OpsTextCheck(MessageConfig config) {
        this.config = config;
    }

    public List<String> warnings(Map<String, String> explain, Instant nextUpdateBy, Instant expectedEndAt) {
        List<String> warnings = new ArrayList<>();
        if (explain == null || explain.isEmpty()) {
            return warnings;
        }
        boolean anyTimeFrame = nextUpdateBy != null || expectedEndAt != null;
        for (Map.Entry<String, String> text : explain.entrySet()) {
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
