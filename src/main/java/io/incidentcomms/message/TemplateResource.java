package io.incidentcomms.message;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** The template set: lint what is in the folder, and use it now. */
@Tag(name = ApiDocument.MESSAGES)
@Path("/api/templates")
public class TemplateResource {

    private final MessageTemplates templates;

    TemplateResource(MessageTemplates templates) {
        this.templates = templates;
    }

    public record LintReport(String version, List<String> problems) {
    }

    /** Lints the templates as they are now in the folder (or the jar), without using them. */
    @POST
    @Path("lint")
    @RolesAllowed(Role.OPS_NAME)
    public LintReport lint() {
        return new LintReport(templates.current().version(), templates.lintCurrentSource());
    }

    /** Uses the folder's templates now, if they pass lint; otherwise says why and keeps the current set. */
    @POST
    @Path("reload")
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
