package io.incidentcomms.support.openapi;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One generated request for an operation. {@code kind} says how it was made (well-formed, or
 * which fault it carries); {@code brokenField}, when set, is the field the fault is in, which a
 * 400 answer must name; {@code twin} is the well-formed request the fault was put into.
 */
public record RequestCase(String kind, String path, Map<String, String> query, Map<String, String> headers,
        String contentType, byte[] body, String brokenField, RequestCase twin) {

    public boolean wellFormed() {
        return kind.equals("well-formed");
    }

    /** For a failure message: the request as it went, the body cut short. */
    public String describe(String method) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return kind + ": " + method + " " + path + (query.isEmpty() ? "" : " ?" + query) + " " + headers
                + (contentType == null ? "" : " [" + contentType + "]")
                + (text.isEmpty() ? "" : " " + (text.length() > 400 ? text.substring(0, 400) + "…" : text));
    }
}
