package io.incidentcomms.access;

import java.util.function.UnaryOperator;

/**
 * Where a request carries its API key: {@code Authorization: Bearer <key>}, {@code X-API-Key}, or
 * {@code Authorization: OAuth <key>} as clients of Atlassian Statuspage's API send it.
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** The key, or null when the request has none. */
    public static String fromHeaders(UnaryOperator<String> headers) {
        String key = headers.apply("X-API-Key");
        String authorization = headers.apply("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).trim();
        } else if (key == null && authorization != null && authorization.regionMatches(true, 0, "OAuth ", 0, 6)) {
            key = authorization.substring(6).trim();
        }
        return key == null || key.isBlank() ? null : key;
    }
}
