package io.incidentcomms.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.incidentcomms.incident.DeliveryEstimates;
import io.incidentcomms.message.MessageRenderer.Channel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What ops see before and at publishing: for each recipient language and channel, how the
 * message comes out — in which language (and how many recipients get another than their own),
 * whole or shortened (which parts) or only the short form, in how many SMS segments and which
 * encoding — with a warning for each problem of a group that has recipients (and of the default
 * locale, whose message every fallback gets), rendered from the real templates.
 */
@ApplicationScoped
public class MessageReview {

    /** One group of recipients: a language on a channel, and how their message comes out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rendering(String locale, String channel, long recipients, String writtenIn, boolean fallback,
            List<String> missingTexts, boolean titleByReference, String form, List<String> shortened, Integer segments,
            String encoding) {
    }

    /** What a goodwill pool covers: codes left, and recipients who get the offer without one. */
    public record GoodwillCoverage(long codesFree, long recipientsWithoutCode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Review(long recipients, long fallbackRecipients, List<Rendering> renderings, GoodwillCoverage goodwill,
            List<String> warnings) {
    }

    private final MessageRenderer renderer;
    private final MessageConfig config;
    private final OpsTextCheck textCheck;

    MessageReview(MessageRenderer renderer, MessageConfig config, OpsTextCheck textCheck) {
        this.renderer = renderer;
        this.config = config;
        this.textCheck = textCheck;
    }

    public Review of(TemplateSet set, MessageRenderer.Content content, DeliveryEstimates.Reach reach,
            Map<String, String> explain, Instant nextUpdateBy, Instant expectedEndAt) {
        List<String> warnings = new ArrayList<>(textCheck.warnings(explain, nextUpdateBy, expectedEndAt));
        List<Rendering> renderings = new ArrayList<>();
        long fallbackRecipients = 0;
        for (Channel channel : Channel.values()) {
            String wire = channel.name().toLowerCase(Locale.ROOT);
            Map<String, Long> perLocale = reach.recipients().getOrDefault(wire, Map.of());
            Set<String> locales = new LinkedHashSet<>(config.locales());
            locales.addAll(perLocale.keySet());
            for (String locale : locales) {
                long recipients = perLocale.getOrDefault(locale, 0L);
                MessageRenderer.Rendered rendered = renderer.render(set, content,
                        new MessageRenderer.Recipient(locale, ZoneOffset.UTC, channel, true, null, null, "CODE"));
                Rendering rendering = rendering(locale, wire, recipients, rendered,
                        io.incidentcomms.incident.LocalizedText.in(content.title(), rendered.locale()) == null);
                renderings.add(rendering);
                if (rendered.fallback()) {
                    fallbackRecipients += recipients;
                }
                if (recipients > 0 || locale.equals(content.defaultLocale())) {
                    warnings.addAll(warnings(rendering));
                }
            }
        }
        GoodwillCoverage goodwill = null;
        boolean pool = reach.goodwillCodesFree() + reach.goodwillCodesGiven() > 0;
        if (content.hasGoodwill() && pool) {
            long needing = Math.max(0, reach.subscribers() - reach.goodwillCodesGiven());
            long without = Math.max(0, needing - reach.goodwillCodesFree());
            goodwill = new GoodwillCoverage(reach.goodwillCodesFree(), without);
            if (without > 0) {
                warnings.add("goodwill: " + reach.goodwillCodesFree() + " code(s) left for " + needing
                        + " recipient(s); " + without + " get the offer without a code");
            }
        }
        return new Review(reach.total(), fallbackRecipients, renderings, goodwill, List.copyOf(warnings));
    }

    private static Rendering rendering(String locale, String channel, long recipients, MessageRenderer.Rendered r,
            boolean titleByReference) {
        boolean sms = r.sms() != null;
        String form = !sms ? "full" : switch (r.smsForm()) {
            case FULL -> "full";
            case SHORTENED -> "shortened";
            case SHORT_FORM -> "short-form";
        };
        return new Rendering(locale, channel, recipients, r.locale(), r.fallback(),
                r.missingTexts().isEmpty() ? null : r.missingTexts(), titleByReference, form,
                r.shortened().isEmpty() ? null : r.shortened(),
                sms ? r.smsSegments() : null, sms ? (r.smsEncoding() == SmsText.Encoding.GSM_7 ? "GSM-7" : "UCS-2") : null);
    }

    private List<String> warnings(Rendering r) {
        List<String> warnings = new ArrayList<>();
        String group = r.channel() + " in " + r.locale() + (r.recipients() > 0 ? " (" + r.recipients() + " recipients)" : "");
        if (r.fallback()) {
            warnings.add(group + ": written in " + r.writtenIn() + ", since there is no " + String.join(", ", r.missingTexts())
                    + " in " + r.locale());
        }
        if ("shortened".equals(r.form())) {
            warnings.add(group + ": shortened to fit " + config.smsMaxSegments() + " SMS segments ("
                    + String.join(", ", r.shortened()) + "); it links to the full message");
        }
        if ("short-form".equals(r.form())) {
            warnings.add(group + ": only the short form fits " + config.smsMaxSegments()
                    + " SMS segments; give explainSms for " + r.locale() + " to send the four parts");
        }
        if (r.titleByReference()) {
            warnings.add(group + ": no title in " + r.writtenIn() + ", so the message names the incident by its reference");
        }
        if ("UCS-2".equals(r.encoding())) {
            warnings.add(group + ": UCS-2 (a character outside GSM-7, such as an emoji), so 70 characters a segment");
        }
        return warnings;
    }
}
