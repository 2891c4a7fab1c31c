package io.incidentcomms.message;

import java.time.ZoneId;
import java.util.List;

import io.incidentcomms.access.Role;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.platform.problem.EnumParams;
import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Previews of customer messages, and the template set's lint and reload. */
@Path("/api")
public class MessageResource {

    private final IncidentService incidents;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;

    MessageResource(IncidentService incidents, MessageTemplates templates, MessageRenderer renderer) {
        this.incidents = incidents;
        this.templates = templates;
        this.renderer = renderer;
    }

    /** A sample recipient; {@code seq} picks an update (a draft too), else the latest published one. */
    public record PreviewRequest(Integer seq, String locale, String timeZone, String channel, Boolean firstSms) {
    }

    @POST
    @Path("incidents/{key}/preview")
    @RolesAllowed(Role.OPS_NAME)
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
        IncidentService.MessageSource source = incidents.messageSource(key, r.seq());
        TemplateSet set = source.templateVersion() == null ? templates.current() : templates.version(source.templateVersion());
        return renderer.render(set, new MessageRenderer.Content(source.kind(), source.title(), source.explain(),
                source.defaultLocale(), source.acknowledge(), source.options(), source.confirm(), source.nextUpdateBy(),
                source.position()), new MessageRenderer.Recipient(locale, zone, channel,
                        !Boolean.FALSE.equals(r.firstSms()), null));
    }

    public record LintReport(String version, List<String> problems) {
    }

    /** Lints the templates as they are now in the folder (or the jar), without using them. */
    @POST
    @Path("templates/lint")
    @RolesAllowed(Role.OPS_NAME)
    public LintReport lint() {
        return new LintReport(templates.current().version(), templates.lintCurrentSource());
    }

    /** Uses the folder's templates now, if they pass lint; otherwise says why and keeps the current set. */
    @POST
    @Path("templates/reload")
    @RolesAllowed(Role.ADMIN_NAME)
    public MessageTemplates.ReloadResult reload() {
        MessageTemplates.ReloadResult result = templates.reload();
        if (!result.problems().isEmpty()) {
            throw new ProblemException(422, "templates-broken", "Unprocessable Content",
                    "The changed templates fail lint; version " + result.version() + " stays in use",
                    result.problems().stream().map(p -> new Problem.FieldViolation("templates", p)).toList());
        }
        return result;
    }
}
