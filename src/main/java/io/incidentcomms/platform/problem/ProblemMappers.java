package io.incidentcomms.platform.problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure into RFC 9457 {@code application/problem+json}. Clients never see a stack
 * trace or an exception class name: unexpected failures are logged with a reference they can quote.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    /** Two writers changed the same thing at once and this one lost: trying again will do. */
    @ServerExceptionMapper
    public Response lostRace(jakarta.persistence.OptimisticLockException e, UriInfo uri) {
        return Response.status(409).type(Problem.MEDIA_TYPE).header("Retry-After", "1")
                .entity(new Problem(Problem.type("concurrent-change"), "Conflict", 409,
                        "Someone changed this at the same moment; try again", path(uri), List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        boolean onReturnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> lastKind(v.getPropertyPath()) == ElementKind.RETURN_VALUE);
        if (onReturnValue) {
            return unexpected(e, uri);
        }
        List<Problem.FieldViolation> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldViolation(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldViolation::field))
                .toList();
        return respond(new Problem(Problem.type("validation-failed"), "Bad Request", 400,
                "The request is not valid: see errors", path(uri), errors));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        var location = e.getLocation();
        String detail = location == null ? "The body is not valid JSON"
                : "The body is not valid JSON (line " + location.getLineNr() + ", column "
                        + location.getColumnNr() + ")";
        return respond(new Problem(Problem.type("malformed-json"), "Bad Request", 400, detail, path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response unrecognizedProperty(UnrecognizedPropertyException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        String field = jsonPath(e.getPath());
        String message;
        if (e instanceof UnrecognizedPropertyException) {
            message = "unknown field";
        } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            message = "must be one of " + enumValues(invalid.getTargetType());
        } else if (e instanceof InvalidFormatException && e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("must not contain")) {
            message = e.getOriginalMessage();
        } else if (e instanceof MismatchedInputException) {
            message = "has the wrong type or shape";
        } else {
            message = "cannot be read";
        }
        if (field.isEmpty()) {
            return respond(new Problem(Problem.type("malformed-json"), "Bad Request", 400,
                    "The body does not have the expected JSON shape", path(uri), List.of()));
        }
        return respond(new Problem(Problem.type("validation-failed"), "Bad Request", 400,
                "The request is not valid: see errors", path(uri), List.of(new Problem.FieldViolation(field, message))));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(new Problem(Problem.type("malformed-json"), "Bad Request", 400,
                "The body is not valid JSON", path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // The JSON reader reports unreadable bodies wrapped in a 400
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return jsonMapping(mapping, uri);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        Response.ResponseBuilder builder = Response.fromResponse(original)
                .entity(new Problem("about:blank", title, status, detailFor(status), path(uri), List.of()))
                .type(Problem.MEDIA_TYPE);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String refused = unstorable(e);
        if (refused != null) {
            // a check missed a text the database cannot keep: the caller's input, not our failure
            LOG.warnf("Refused a request the database could not store (SQLState %s) at %s", refused, path(uri));
            return respond(new Problem(Problem.type("unstorable-text"), "Bad Request", 400,
                    "A text in the request is too long, or holds a character that cannot be stored (such as NUL)",
                    path(uri), List.of()));
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure, reference %s", reference);
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "An unexpected error occurred; quote reference " + reference + " when reporting it",
                path(uri), List.of()));
    }

    /**
     * The SQLState when the database refused a text of the request: too long for its column
     * (22001), or a character it cannot hold (22021, 22P05).
     */
    static String unstorable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && List.of("22001", "22021", "22P05").contains(sql.getSQLState())) {
                return sql.getSQLState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String detailFor(int status) {
        return switch (status) {
            case 400 -> "The request is not valid";
            case 401 -> "Authentication is required";
            case 403 -> "The credentials do not allow this action";
            case 404 -> "Nothing exists at this address";
            case 405 -> "This method is not allowed here";
            case 406 -> "No acceptable representation is available";
            case 413 -> "The request body is too large";
            case 415 -> "This content type is not supported here";
            default -> "The request could not be processed";
        };
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static ElementKind lastKind(Path path) {
        ElementKind kind = null;
        for (Path.Node node : path) {
            kind = node.getKind();
        }
        return kind;
    }

    /**
     * A violation on a REST method's body reads {@code method.body.title}; on a query or path
     * parameter, {@code method.state}. Clients want {@code title} and {@code state}.
     */
    static String fieldName(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            boolean bodyParameter = node.getKind() == ElementKind.PARAMETER && i < nodes.size() - 1;
            if (bodyParameter || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getName() != null
                    && node.getName().startsWith("<")) {
                appendIndex(field, node);
                continue;
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(node.getName());
            appendIndex(field, node);
        }
        return field.length() == 0 ? "body" : field.toString();
    }

    private static void appendIndex(StringBuilder field, Path.Node node) {
        if (node.getIndex() != null) {
            field.append('[').append(node.getIndex()).append(']');
        } else if (node.getKey() != null) {
            field.append('[').append(node.getKey()).append(']');
        }
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String enumValues(Class<?> enumType) {
        List<String> values = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            values.add(constant.toString().toLowerCase());
        }
        return String.join(", ", values);
    }
}
