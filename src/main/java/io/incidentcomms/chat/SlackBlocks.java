package io.incidentcomms.chat;

import java.util.List;
import java.util.Map;

/** A chat message as a Slack incoming webhook takes it: Block Kit, with the text as the notification's fallback. */
final class SlackBlocks {

    private SlackBlocks() {
    }

    static Map<String, Object> of(ChatMessages.Text text) {
        return Map.of(
                "text", text.headline(),
                "blocks", List.of(
                        Map.of("type", "header", "text", Map.of("type", "plain_text", "text", limit(text.headline(), 150))),
                        Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", escape(text.detail()))),
                        Map.of("type", "actions", "elements", List.of(Map.of("type", "button",
                                "text", Map.of("type", "plain_text", "text", text.linkTitle()), "url", text.link())))));
    }

    /** Slack's mrkdwn reads &, < and > as markup. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String limit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
