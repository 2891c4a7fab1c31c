package io.incidentcomms.access;

import java.util.function.UnaryOperator;

/** Where a request carries its API key: {@code Authorization: Bearer <key>} or {@code X-API-Key}. */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** The key, or null when the request has none. */
    public static String fromHeaders(UnaryOperator<String> headers) {
        String key = headers.apply("X-API-Key");
        String authorization = headers.apply("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        }
        return key == null || key.isBlank() ? null : key;
    }
}
