package io.incidentcomms.console;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestQuery;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.TemplateSet;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The message templates in use: their version and where they come from, what lint says of the
 * templates there now, and any kind of message in any language and channel, rendered from them
 * for a sample incident written in every shipped language.
 */
@Path("/console/templates")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class TemplatesResource {

    /** A rendered sample: what the recipient reads. */
    public record Sample(String kind, String locale, String channel, String writtenIn, String subject, String text,
            String smsInfo) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance templates(String version, String source, List<String> problems,
                List<String> kinds, List<String> locales, Sample sample);
    }

    private final MessageTemplates templates;
    private final MessageSamples samples;
    private final MessageConfig config;
    private final Clock clock;

    TemplatesResource(MessageTemplates templates, MessageSamples samples, MessageConfig config, Clock clock) {
        this.templates = templates;
        this.samples = samples;
        this.config = config;
        this.clock = clock;
    }

    @GET
    public TemplateInstance templates(@RestQuery String kind, @RestQuery String locale, @RestQuery String channel) {
        TemplateSet set = templates.current();
        MessageKind parsed = ConsoleChoices.parse(MessageKind.class, kind);
        MessageKind chosenKind = parsed == null ? MessageKind.DECLARED : parsed;
        String chosenLocale = locale != null && config.locales().contains(locale) ? locale : config.locales().get(0);
        boolean sms = "sms".equals(channel);
        MessageSamples.Sample rendered = samples.of(set, sampleContent(chosenKind), chosenLocale);
        Sample sample = new Sample(ConsoleChoices.wire(chosenKind), chosenLocale, sms ? "sms" : "email",
                rendered.writtenIn(), rendered.subject(), sms ? rendered.sms() : rendered.emailText(),
                sms ? rendered.segments() + " segment(s), " + rendered.encoding() : null);
        return Templates.templates(set.version(), templates.source(), templates.lintCurrentSource(),
                ConsoleChoices.of(MessageKind.values()), config.locales(), sample);
    }

    /** An outage of the checkout, told in English, German and French, with two options. */
    private MessageRenderer.Content sampleContent(MessageKind kind) {
        boolean ending = kind == MessageKind.RESOLVED || kind == MessageKind.MAINTENANCE_COMPLETED
                || kind == MessageKind.FOLLOW_UP || kind == MessageKind.MAINTENANCE_CANCELLED;
        List<MessageOption> options = ending ? List.of() : List.of(
                new MessageOption("1", Map.of("en", "Pay by invoice", "de", "Auf Rechnung zahlen", "fr", "Payer sur facture"),
                        null, false),
                new MessageOption("2", Map.of("en", "Wait for the fix", "de", "Auf die Behebung warten", "fr",
                        "Attendre la correction"), null, false));
        return new MessageRenderer.Content(kind, "INC-2026-0042",
                Map.of("en", "Checkout is down", "de", "Die Kasse ist gestört", "fr", "La caisse est en panne"),
                Map.of("en", "Card payments fail at checkout since 09:40.",
                        "de", "Seit 09:40 scheitern Kartenzahlungen an der Kasse.",
                        "fr", "Depuis 9 h 40, les paiements par carte échouent à la caisse."),
                Map.of(), "en", null, options, null,
                ending ? null : clock.instant().plus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES), 0,
                ending ? Duration.ofMinutes(47) : null, null, true);
    }
}
