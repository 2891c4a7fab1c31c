package io.incidentcomms.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details. {@code errors} lists field-level violations for validation failures.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldViolation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types of this service are relative URIs under {@code /problems/}. */
    public static String type(String slug) {
        return "/problems/" + slug;
    }

    public record FieldViolation(String field, String message) {
    }
}
