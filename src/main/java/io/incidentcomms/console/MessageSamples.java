package io.incidentcomms.console;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.SmsText;
import io.incidentcomms.message.TemplateSet;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The email and SMS a sample recipient would get in each language, rendered from the real
 * templates by the same renderer that sends them, for the console's previews.
 */
@ApplicationScoped
public class MessageSamples {

    /** One language's messages, as its recipients would read them. */
    public record Sample(String locale, String writtenIn, boolean fallback, List<String> missingTexts, String subject,
            String emailText, String sms, int segments, String encoding, String smsForm, List<String> shortened) {
    }

    /** Named, so that times read "UTC" rather than "Z". */
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final MessageRenderer renderer;
    private final MessageTemplates templates;
    private final MessageConfig config;

    MessageSamples(MessageRenderer renderer, MessageTemplates templates, MessageConfig config) {
        this.renderer = renderer;
        this.templates = templates;
        this.config = config;
    }

    public List<Sample> of(IncidentQueries.MessageSource source) {
        TemplateSet set = source.templateVersion() == null ? templates.current() : templates.version(source.templateVersion());
        List<Sample> samples = new ArrayList<>();
        for (String locale : config.locales()) {
            samples.add(of(set, source.content(), locale));
        }
        return samples;
    }

    /** The email and the SMS of one content for a sample recipient of one language. */
    public Sample of(TemplateSet set, MessageRenderer.Content content, String locale) {
        MessageRenderer.Rendered email = renderer.render(set, content,
                new MessageRenderer.Recipient(locale, UTC, MessageRenderer.Channel.EMAIL, true, null));
        MessageRenderer.Rendered sms = renderer.render(set, content,
                new MessageRenderer.Recipient(locale, UTC, MessageRenderer.Channel.SMS, true, null));
        return new Sample(locale, email.locale(), email.fallback(), email.missingTexts(), email.subject(), email.text(),
                sms.sms(), sms.smsSegments(), sms.smsEncoding() == SmsText.Encoding.GSM_7 ? "GSM-7" : "UCS-2",
                switch (sms.smsForm()) {
                    case FULL -> "whole";
                    case SHORTENED -> "shortened";
                    case SHORT_FORM -> "short form only";
                }, sms.shortened());
    }
}
