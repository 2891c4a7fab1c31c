package io.incidentcomms.console;

import java.util.LinkedHashMap;
import java.util.Map;

import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What every console page shares: the page that says why something was refused, form errors by
 * field, and one way to write a moment.
 */
@ApplicationScoped
public class ConsolePages {

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** A moment as every console page writes it ({@code 2026-12-05 22:40 UTC}); null stays null. */
    public static String time(java.time.Instant at) {
        return at == null ? null : TIME.format(at);
    }

    /** The same in templates: {@code {user.createdAt.utc}}. */
    @io.quarkus.qute.TemplateExtension(matchName = "utc")
    static String utc(java.time.Instant at) {
        return time(at);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance refused(String title, String message);
    }

    public Response refusal(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.refused(title, message).render()).build();
    }

    /** A problem's field errors by field, and its detail under "" when it names no field. */
    public static Map<String, String> errors(ProblemException problem) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (Problem.FieldViolation violation : problem.errors()) {
            errors.merge(violation.field(), violation.message(), (a, b) -> a + "; " + b);
        }
        if (errors.isEmpty()) {
            errors.put("", problem.getMessage());
        }
        return errors;
    }
}
