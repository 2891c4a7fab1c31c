package io.incidentcomms.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageRenderer.Content;

/** Message contents for rendering tests: ops texts in one locale unless a test says otherwise. */
public final class Contents {

    private Contents() {
    }

    /** An option with its label in one locale. */
    public static MessageOption option(String code, String locale, String label) {
        return new MessageOption(code, Map.of(locale, label), null, false);
    }

    /** A content in English, with the given options and a promise. */
    public static Content english(MessageKind kind, String title, String explain, List<MessageOption> options,
            Instant nextUpdateBy) {
        return new Content(kind, "INC-2026-0042", Map.of("en", title), Map.of("en", explain), Map.of(), "en", null,
                options, null, nextUpdateBy, 0, null, null, true);
    }

    /** The usual two options, in English. */
    public static List<MessageOption> invoiceOrRefund() {
        return List.of(option("1", "en", "Pay by invoice"), option("REFUND", "en", "Ask for a refund"));
    }
}
