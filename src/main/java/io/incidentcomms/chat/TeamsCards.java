package io.incidentcomms.chat;

import java.util.List;
import java.util.Map;

/**
 * A chat message as a Microsoft Teams Workflows webhook ("When a Teams webhook request is
 * received") takes it: a message with one Adaptive Card attachment.
 */
final class TeamsCards {

    private TeamsCards() {
    }

    static Map<String, Object> of(ChatMessages.Text text) {
        Map<String, Object> card = Map.of(
                "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
                "type", "AdaptiveCard",
                "version", "1.4",
                "body", List.of(
                        Map.of("type", "TextBlock", "text", text.headline(), "weight", "Bolder", "size", "Medium",
                                "wrap", true),
                        Map.of("type", "TextBlock", "text", text.detail(), "wrap", true)),
                "actions", List.of(Map.of("type", "Action.OpenUrl", "title", text.linkTitle(), "url", text.link())));
        return Map.of("type", "message", "attachments", List.of(Map.of(
                "contentType", "application/vnd.microsoft.card.adaptive", "content", card)));
    }
}
