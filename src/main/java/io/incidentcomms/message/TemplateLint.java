package io.incidentcomms.message;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Checks a template set before it is used: every kind × channel × locale renders against a sample
 * incident with all four parts, fits the SMS limit, leaves no expression unresolved, and never
 * invites a reply with a carrier keyword. Problems name the file.
 */
@ApplicationScoped
public class TemplateLint {

    private static final Pattern KEYWORD_INVITATION = Pattern.compile(
            "(?i)\\b(reply|antworten sie mit|text|send)\\s+(with\\s+)?\"?(" + String.join("|", MessageParts.CARRIER_KEYWORDS)
                    + ")\\b");
    private static final List<MessageOption> SAMPLE_OPTIONS = List.of(
            new MessageOption("1", "Pick up at another store", "Store 17 is open until 20:00"),
            new MessageOption("REFUND", "Ask for a refund", null));

    private final MessageRenderer renderer;
    private final MessageConfig config;
    private final Clock clock;

    TemplateLint(MessageRenderer renderer, MessageConfig config, Clock clock) {
        this.renderer = renderer;
        this.config = config;
        this.clock = clock;
    }

    public List<String> check(TemplateSet set) {
        List<String> problems = new ArrayList<>();
        for (String locale : config.locales()) {
            String layoutFile = locale + "/" + TemplateSet.LAYOUT_TEXT;
            if (!set.has(layoutFile) || !set.has(locale + "/" + TemplateSet.LAYOUT_HTML)) {
                problems.add(locale + "/: layout.txt and layout.html are required");
                continue;
            }
            requireSections(set, layoutFile, MessageRenderer.LAYOUT_SECTIONS, problems);
            if (set.acknowledgements(locale).size() < 3) {
                problems.add(locale + "/" + TemplateSet.ACKNOWLEDGEMENTS + ": needs at least 3 phrasings to rotate through");
            }
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
        return List.copyOf(new java.util.LinkedHashSet<>(problems));
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
        for (boolean withOptions : List.of(true, false)) {
            Content content = new Content(kind, "Checkout payments failing", Map.of(locale, explain), locale, null,
                    withOptions ? SAMPLE_OPTIONS : List.of(), withOptions ? "Will one of these work for you?" : null,
                    clock.instant().plus(Duration.ofMinutes(30)), 1);
            for (Channel channel : Channel.values()) {
                Rendered rendered;
                try {
                    rendered = renderer.render(set, content, new Recipient(locale, ZoneId.of("Europe/Berlin"), channel,
                            true, null));
                } catch (RuntimeException e) {
                    problems.add(e instanceof TemplateSet.TemplateProblem ? e.getMessage() : file + ": " + e.getMessage());
                    return;
                }
                checkParts(file, rendered, problems);
                String body = channel == Channel.SMS ? rendered.sms() : rendered.text();
                String withoutFooter = body.replace(stopFooter(set, locale), "");
                if (KEYWORD_INVITATION.matcher(withoutFooter).find()) {
                    problems.add(file + ": the " + channel.name().toLowerCase() + " text invites a reply with a carrier keyword");
                }
                if (channel == Channel.SMS && rendered.smsSegments() > config.smsMaxSegments()) {
                    problems.add(file + ": the SMS takes " + rendered.smsSegments() + " segments even in its short form (limit "
                            + config.smsMaxSegments() + ")");
                }
            }
        }
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
