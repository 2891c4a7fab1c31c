package io.incidentcomms.message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes an SMS fit the segment limit without silently losing a part. It shortens, in this order,
 * until the message fits: the acknowledgement to its brief variant, the explanation to ops' SMS
 * text, the options to {@code code = short label}. Only then does it fall back to the kind's short
 * form, which still names the incident, lists every open option code with a few words, gives the
 * next update time where the kind promises one, and links to the full message. An SMS that is
 * shortened, or offers options, carries the short link.
 */
final class SmsFitting {

    /** How much of the message the SMS says itself. */
    public enum Form {
        FULL, SHORTENED, SHORT_FORM
    }

    /** The SMS, its form, the parts shortened to make it fit, and whether it carries the short link. */
    record Fitted(String text, Form form, List<String> shortened, MessageRenderer.Parts parts, boolean link) {
    }

    private final int maxSegments;
    private final MessageTemplate message;
    private final String footer;

    SmsFitting(int maxSegments, MessageTemplate message, String footer) {
        this.maxSegments = maxSegments;
        this.message = message;
        this.footer = footer;
    }

    @SuppressWarnings("unchecked")
    Fitted fit(Map<String, Object> data, String briefAcknowledgement, String explainSms, String link, String reference) {
        Map<String, Object> d = new HashMap<>(data);
        List<Map<String, Object>> options = (List<Map<String, Object>>) data.get("options");
        d.put("link", options.isEmpty() ? null : link);
        MessageRenderer.Parts parts = message.parts(d);
        String sms = whole(d, parts);
        if (fits(sms)) {
            return new Fitted(sms, Form.FULL, List.of(), parts, !options.isEmpty());
        }
        d.put("link", link);
        List<String> shortened = new ArrayList<>();
        if (!briefAcknowledgement.equals(d.get("acknowledgement"))) {
            d.put("acknowledgement", briefAcknowledgement);
            shortened.add("acknowledge");
            parts = message.parts(d);
            sms = whole(d, parts);
            if (fits(sms)) {
                return new Fitted(sms, Form.SHORTENED, List.copyOf(shortened), parts, true);
            }
        }
        if (explainSms != null) {
            d.put("explain", explainSms);
            shortened.add("explain");
            parts = message.parts(d);
            sms = whole(d, parts);
            if (fits(sms)) {
                return new Fitted(sms, Form.SHORTENED, List.copyOf(shortened), parts, true);
            }
        }
        if (!options.isEmpty()) {
            d.put("options", briefLabels(options, 4, 24));
            shortened.add("options");
            parts = message.parts(d);
            sms = whole(d, parts);
            if (fits(sms)) {
                return new Fitted(sms, Form.SHORTENED, List.copyOf(shortened), parts, true);
            }
        }
        return new Fitted(shortForm(data, options, link, reference), Form.SHORT_FORM, List.copyOf(shortened), parts, true);
    }

    /**
     * The kind's short form. If even that is too long, the title loses whole words from its end,
     * then gives way to the incident's reference, then the options keep a word or two, then their
     * codes only; the codes, the next update time and the link always stay.
     */
    private String shortForm(Map<String, Object> data, List<Map<String, Object>> options, String link, String reference) {
        Map<String, Object> d = new HashMap<>(data);
        d.put("link", link);
        d.put("options", briefLabels(options, 6, 24));
        List<String> words = new ArrayList<>(List.of(((String) data.get("title")).split("\\s+")));
        String sms = shortText(d);
        while (!fits(sms) && words.size() > 1) {
            words.remove(words.size() - 1);
            d.put("title", String.join(" ", words) + "...");
            sms = shortText(d);
        }
        if (!fits(sms) && reference != null) {
            d.put("title", reference);
            sms = shortText(d);
        }
        if (!fits(sms)) {
            d.put("options", briefLabels(options, 2, 12));
            sms = shortText(d);
        }
        if (!fits(sms)) {
            d.put("options", briefLabels(options, 0, 0));
            sms = shortText(d);
        }
        return sms;
    }

    private String whole(Map<String, Object> data, MessageRenderer.Parts parts) {
        return SmsText.normalize(message.sms(data, parts) + footer);
    }

    private String shortText(Map<String, Object> data) {
        return SmsText.normalize(MessageRenderer.oneLine(message.kindSection("sms_short", data)) + footer);
    }

    private boolean fits(String sms) {
        return SmsText.segments(sms) <= maxSegments;
    }

    /** The options with their labels cut to a few words ({@code maxWords} 0: no label at all). */
    static List<Map<String, Object>> briefLabels(List<Map<String, Object>> options, int maxWords, int maxChars) {
        List<Map<String, Object>> brief = new ArrayList<>(options.size());
        for (Map<String, Object> option : options) {
            Map<String, Object> o = new LinkedHashMap<>(option);
            o.put("label", brief((String) option.get("label"), maxWords, maxChars));
            o.put("detail", null);
            brief.add(o);
        }
        return brief;
    }

    /** The first words of a label, at most {@code maxWords} and {@code maxChars}; never half a word but the first. */
    static String brief(String label, int maxWords, int maxChars) {
        if (maxWords == 0 || label == null) {
            return "";
        }
        String[] words = label.strip().split("\\s+");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.length && i < maxWords; i++) {
            String word = words[i].replaceAll("[,;:.]+$", "");
            if (out.length() > 0 && out.length() + 1 + word.length() > maxChars) {
                break;
            }
            out.append(out.length() > 0 ? " " : "").append(word);
        }
        return out.length() > maxChars ? out.substring(0, maxChars) : out.toString();
    }
}
