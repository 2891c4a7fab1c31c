package io.incidentcomms.platform.local;

import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.incidentcomms.delivery.CaptureSink;
import io.incidentcomms.delivery.DeliveryConfig;
import io.incidentcomms.feedback.InboundSms;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The no-services run's inbox: every captured email as the customer's mail program shows it and
 * every SMS as a phone does, newest first, with a form that replies to an SMS as that phone would
 * (STOP, an option code, free text) through the same handling as Twilio's inbound webhook. So a
 * newcomer can try the whole loop without a phone. Not there in production.
 */
@Path("/local/messages")
public class LocalInboxResource {

    /** One captured message as the inbox shows it. */
    public record Shown(String at, String channel, String to, String subject, String text, String html) {
        public boolean email() {
            return "email".equals(channel);
        }
    }

    /** A reply just simulated, and what the service answered to it. */
    public record Replied(String from, String body, String answer) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inbox(List<Shown> messages, List<String> numbers, String channel, String to,
                Replied replied);
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private final CaptureSink sink;
    private final DeliveryConfig config;
    private final InboundSms inbound;

    LocalInboxResource(CaptureSink sink, DeliveryConfig config, InboundSms inbound) {
        this.sink = sink;
        this.config = config;
        this.inbound = inbound;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance inbox(@RestQuery String channel, @RestQuery String to) {
        return page(channel, to, null);
    }

    @POST
    @Path("reply")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance reply(@RestForm String from, @RestForm String body) {
        requireCapture();
        if (from == null || from.isBlank() || body == null || body.isBlank()) {
            throw ProblemException.invalidField("body", "choose a number and write the reply");
        }
        String answer = inbound.answer(from.trim(), body);
        return page("sms", from.trim(), new Replied(from.trim(), body, answer));
    }

    private TemplateInstance page(String channel, String to, Replied replied) {
        requireCapture();
        String wantedChannel = channel == null || channel.isBlank() ? null : channel.toLowerCase(Locale.ROOT);
        String wantedTo = to == null || to.isBlank() ? null : to.trim().toLowerCase(Locale.ROOT);
        List<CaptureSink.Captured> all = sink.messages();
        List<Shown> shown = all.stream()
                .filter(m -> wantedChannel == null || m.channel().equals(wantedChannel))
                .filter(m -> wantedTo == null || m.to().toLowerCase(Locale.ROOT).contains(wantedTo))
                .map(m -> new Shown(TIME.format(m.at()), m.channel(), m.to(), m.subject(), m.text(), m.html())).toList();
        List<String> numbers = all.stream().filter(m -> m.channel().equals("sms")).map(CaptureSink.Captured::to).distinct()
                .toList();
        return Templates.inbox(shown, numbers, wantedChannel == null ? "" : wantedChannel, to == null ? "" : to, replied);
    }

    private void requireCapture() {
        if (!config.capture()) {
            throw ProblemException.notFound("The local inbox (it exists only in the no-services run)");
        }
    }

}
