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

/** What every console page shares: the page that says why something was refused, and form errors by field. */
@ApplicationScoped
public class ConsolePages {

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
