package io.incidentcomms.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * What a chat message says about an event: a headline, a sentence of detail and the link to act
 * on, the same for Slack and Teams ({@link SlackBlocks}, {@link TeamsCards} shape them).
 */
final class ChatMessages {

    /** The events ops are told about in chat. */
    static final Set<String> EVENTS = Set.of("incident.nudge", "incident.escalated", "channel.held", "channel.resumed");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    record Text(String headline, String detail, String linkTitle, String link) {
    }

    private ChatMessages() {
    }

    /** The message for an event; {@code title} is the incident's, null for channel events. */
    static Text of(String type, String incidentKey, String title, Map<String, ?> data, String consoleBaseUrl) {
        String incidentLink = consoleBaseUrl + "/console/incidents/" + incidentKey;
        String controls = consoleBaseUrl + "/console/controls";
        String incident = incidentKey + " (" + title + ")";
        return switch (type) {
            case "incident.nudge" -> "still-affected".equals(data.get("reason"))
                    ? new Text("Customers are still affected: " + incidentKey,
                            data.get("stillAffected") + " customers say " + incident
                                    + " still affects them after it was resolved.",
                            "Open the incident", incidentLink)
                    : new Text("Update due" + due(data) + ": " + incidentKey,
                            "Customers were promised the next update on " + incident + due(data)
                                    + ". Post one, or they get a holding update then.",
                            "Post an update", incidentLink);
            case "incident.escalated" -> new Text("No news for a long time: " + incidentKey,
                    incident + " has had " + data.get("holdingsInARow")
                            + " holding updates in a row: customers have heard nothing new.",
                    "Open the incident", incidentLink);
            case "channel.held" -> new Text("The " + data.get("channel") + " channel is held",
                    "The provider refused our account (" + data.get("reason") + "). Messages wait until the channel is"
                            + " resumed.",
                    "Open the controls", controls);
            case "channel.resumed" -> new Text("The " + data.get("channel") + " channel was resumed",
                    "Messages that waited are going out.", "Open the controls", controls);
            default -> new Text(type + (incidentKey == null ? "" : ": " + incidentKey), "", "Open the console",
                    consoleBaseUrl + "/console");
        };
    }

    private static String due(Map<String, ?> data) {
        Object dueAt = data.get("dueAt");
        if (dueAt == null) {
            return "";
        }
        try {
            return " by " + TIME.format(Instant.parse(dueAt.toString()));
        } catch (java.time.format.DateTimeParseException e) {
            return "";
        }
    }
}
