package io.incidentcomms.platform.problem;

import java.util.List;

/**
 * A failure that the client can understand and act on; rendered as RFC 9457 problem details.
 * Features extend or instantiate it for their own conditions (conflict, not found, ...).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldViolation> errors;

    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, List.of());
    }

    public ProblemException(int status, String slug, String title, String detail,
            List<Problem.FieldViolation> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not Found", what + " does not exist");
    }

    /** The caller did not prove who it is (a signature, a token, a key that does not check out). */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail);
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(400, "validation-failed", "Bad Request", "The request is not valid",
                List.of(new Problem.FieldViolation(field, message)));
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.type(slug), title, status, getMessage(), instance, errors);
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldViolation> errors() {
        return errors;
    }
}
