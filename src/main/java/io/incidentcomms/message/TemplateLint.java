package io.incidentcomms.message;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Content;
import io.incidentcomms.message.MessageRenderer.Recipient;
import io.incidentcomms.message.MessageRenderer.Rendered;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks a template set before it is used: every kind × channel × locale renders against sample
 * incidents (with and without options and ops text) with all four parts, the SMS fits the limit
 * and names every option code and the short link when it must, the email links every option, no
 * expression is left unresolved, and no text invites a reply with a carrier keyword. Each kind has
 * at least five acknowledgements per locale, none repeated. Problems name the file.
 */
@ApplicationScoped
public class TemplateLint {

    static final int ACKNOWLEDGEMENTS_PER_KIND = 5;
    private static final Pattern KEYWORD_INVITATION = Pattern.compile(
            "(?i)\\b(reply|antworten sie( mit)?|répondez|text|send)\\s+(with\\s+)?\"?(" + String.join("|", MessageParts.CARRIER_KEYWORDS)
                    + ")\\b");

    private final MessageRenderer renderer;
    private final MessageConfig config;
    private final Clock clock;

    TemplateLint(MessageRenderer renderer, MessageConfig config, Clock clock) {
        this.renderer = renderer;
        this.config = config;
        this.clock = clock;
    }

    /** What the issue asks of the link in an SMS: short enough to sit in a message. */
    static final int MAX_LINK = 30;

    public List<String> check(TemplateSet set) {
        List<String> problems = new ArrayList<>();
        String link = renderer.shortLink(new Recipient(null, ZoneId.of("UTC"), Channel.SMS, false, null));
        if (link.length() > MAX_LINK) {
            problems.add("the SMS link " + link + " has " + link.length() + " characters (at most " + MAX_LINK
                    + "): set COMMS_MESSAGES_SHORT_LINK_BASE to a shorter host");
        }
        for (String locale : config.locales()) {
            String layoutFile = locale + "/" + TemplateSet.LAYOUT_TEXT;
            if (!set.has(layoutFile) || !set.has(locale + "/" + TemplateSet.LAYOUT_HTML)) {
                problems.add(locale + "/: layout.txt and layout.html are required");
                continue;
            }
            requireSections(set, layoutFile, MessageRenderer.LAYOUT_SECTIONS, problems);
            checkAcknowledgements(set, locale, problems);
            for (MessageKind kind : MessageKind.values()) {
                String file = locale + "/" + kind.wire() + ".txt";
                if (!set.has(file)) {
                    problems.add(file + ": file is missing");
                    continue;
                }
                if (requireSections(set, file, MessageRenderer.KIND_SECTIONS, problems)) {
                    renderSamples(set, locale, kind, file, problems);
                }
            }
        }
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    private static void checkAcknowledgements(TemplateSet set, String locale, List<String> problems) {
        String file = locale + "/" + TemplateSet.ACKNOWLEDGEMENTS;
        Set<String> seen = new HashSet<>();
        for (MessageKind kind : MessageKind.values()) {
            List<TemplateSet.Acknowledgement> lines = set.acknowledgements(locale, kind);
            if (lines.size() < ACKNOWLEDGEMENTS_PER_KIND) {
                problems.add(file + ": [" + kind.wire() + "] needs at least " + ACKNOWLEDGEMENTS_PER_KIND
                        + " acknowledgements, has " + lines.size());
            }
            for (TemplateSet.Acknowledgement line : lines) {
                if (!seen.add(line.full())) {
                    problems.add(file + ": \"" + line.full() + "\" stands twice; a recipient would read it twice");
                }
            }
        }
    }

    private boolean requireSections(TemplateSet set, String file, List<String> sections, List<String> problems) {
        Template template;
        try {
            template = set.template(file);
        } catch (TemplateSet.TemplateProblem e) {
            problems.add(e.getMessage());
            return false;
        }
        boolean complete = true;
        for (String section : sections) {
            if (template.getFragment(section) == null) {
                problems.add(file + ": missing section '" + section + "'");
                complete = false;
            }
        }
        return complete;
    }

    private void renderSamples(TemplateSet set, String locale, MessageKind kind, String file, List<String> problems) {
        String explain = "Card payments fail at checkout in the eu-west region since 09:40; orders by invoice still work.";
        List<MessageOption> sampleOptions = List.of(
                new MessageOption("A1", Map.of(locale, "Pick up at another store"), Map.of(locale, "Store 17 is open until 20:00"),
                        false),
                new MessageOption("REFUND", Map.of(locale, "Ask for a refund"), null, false));
        for (boolean withOptions : List.of(true, false)) {
            for (boolean withExplain : List.of(true, false)) {
                List<MessageOption> options = withOptions ? sampleOptions : List.of();
                Content content = new Content(kind, "INC-2026-0001", Map.of(locale, "Checkout payments failing"),
                        withExplain ? Map.of(locale, explain) : Map.of(), Map.of(), locale, null, options, null,
                        clock.instant().plus(Duration.ofMinutes(30)), 1, Duration.ofMinutes(75),
                        Map.of(locale, "A 10% voucher for your next order."), true);
                for (Channel channel : Channel.values()) {
                    Rendered rendered;
                    try {
                        rendered = renderer.render(set, content, new Recipient(locale, ZoneId.of("Europe/Berlin"), channel,
                                true, null, null, "GOODWILL-1"));
                    } catch (RuntimeException e) {
                        problems.add(e instanceof TemplateSet.TemplateProblem ? e.getMessage() : file + ": " + e.getMessage());
                        return;
                    }
                    checkRendering(set, locale, file, channel, rendered, options, problems);
                }
            }
        }
    }

    private void checkRendering(TemplateSet set, String locale, String file, Channel channel, Rendered rendered,
            List<MessageOption> options, List<String> problems) {
        String name = channel.name().toLowerCase();
        if (rendered.smsForm() != SmsFitting.Form.SHORT_FORM) {
            checkParts(file, rendered, problems);
        }
        String body = channel == Channel.SMS ? rendered.sms() : rendered.subject() + "\n" + rendered.text();
        if (body.contains("{") || body.contains("}")) {
            problems.add(file + ": the " + name + " text has template syntax left in it: " + body);
        }
        String withoutFooter = body.replace(stopFooter(set, locale), "");
        if (KEYWORD_INVITATION.matcher(withoutFooter).find()) {
            problems.add(file + ": the " + name + " text invites a reply with a carrier keyword");
        }
        if (channel == Channel.SMS) {
            if (rendered.smsSegments() > config.smsMaxSegments()) {
                problems.add(file + ": the SMS takes " + rendered.smsSegments() + " segments even in its short form (limit "
                        + config.smsMaxSegments() + ")");
            }
            for (MessageOption option : options) {
                if (!Pattern.compile("(^|[^A-Za-z0-9])" + Pattern.quote(option.code()) + "($|[^A-Za-z0-9])")
                        .matcher(rendered.sms().replace(link(rendered), "")).find()) {
                    problems.add(file + ": the SMS " + (rendered.smsShortForm() ? "short form " : "")
                            + "does not name option " + option.code());
                }
            }
            if (rendered.smsLink() && !rendered.sms().contains(renderer.shortLinkBase() + "/m/")) {
                problems.add(file + ": the SMS " + (rendered.smsShortForm() ? "short form " : "")
                        + "does not carry the link to the full message ({link})");
            }
        } else {
            for (MessageOption option : options) {
                if (!rendered.text().contains("option=" + option.code()) || !rendered.html().contains("option=" + option.code())) {
                    problems.add(file + ": the email does not link option " + option.code()
                            + " (layout.txt and layout.html list optionLinks)");
                }
            }
        }
    }

    /** The SMS's link, which must not count as naming an option code. */
    private String link(Rendered rendered) {
        return renderer.shortLinkBase() + "/m/" + MessageRenderer.PREVIEW_SHORT_ID;
    }

    private static void checkParts(String file, Rendered rendered, List<String> problems) {
        MessageRenderer.Parts parts = rendered.parts();
        List<String> texts = List.of(parts.explain(), parts.acknowledge(), parts.options(), parts.confirm());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                problems.add(file + ": section '" + MessageRenderer.PARTS.get(i) + "' renders empty");
            }
        }
    }

    private String stopFooter(TemplateSet set, String locale) {
        Template fragment = set.template(locale + "/" + TemplateSet.LAYOUT_TEXT).getFragment("stop_footer");
        return fragment == null ? "" : fragment.render().strip();
    }
}
