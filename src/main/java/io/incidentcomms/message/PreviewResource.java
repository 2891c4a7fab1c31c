package io.incidentcomms.message;

import java.time.ZoneId;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.EnumParams;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * What a sample recipient would receive for an update (the latest published one, or any by seq):
 * the rendering in the language they would get, with its SMS form, segments and encoding.
 */
@Tag(name = ApiDocument.MESSAGES)
@Path("/api/incidents/{key}/preview")
@RolesAllowed(Role.OPS_NAME)
public class PreviewResource {

    private final IncidentQueries incidents;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;

    PreviewResource(IncidentQueries incidents, MessageTemplates templates, MessageRenderer renderer) {
        this.incidents = incidents;
        this.templates = templates;
        this.renderer = renderer;
    }

    /** A sample recipient; {@code seq} picks an update (a draft too), else the latest published one. */
    public record PreviewRequest(Integer seq, String locale, String timeZone, String channel, Boolean firstSms) {
    }

    @POST
    public MessageRenderer.Rendered preview(@PathParam("key") String key, PreviewRequest request) {
        PreviewRequest r = request == null ? new PreviewRequest(null, null, null, null, null) : request;
        String locale = r.locale() == null ? "en" : r.locale();
        if (!MessageParts.validLocale(locale)) {
            throw ProblemException.invalidField("locale", "is not a BCP 47 language tag such as en or de-CH");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(r.timeZone() == null ? "UTC" : r.timeZone());
        } catch (RuntimeException e) {
            throw ProblemException.invalidField("timeZone", "is not an IANA time zone such as Europe/Berlin");
        }
        MessageRenderer.Channel channel = r.channel() == null ? MessageRenderer.Channel.EMAIL
                : EnumParams.parse(MessageRenderer.Channel.class, "channel", r.channel());
        IncidentQueries.MessageSource source = incidents.messageSource(key, r.seq());
        TemplateSet set = source.templateVersion() == null ? templates.current() : templates.version(source.templateVersion());
        return renderer.render(set, source.content(), new MessageRenderer.Recipient(locale, zone, channel,
                !Boolean.FALSE.equals(r.firstSms()), null));
    }

}
