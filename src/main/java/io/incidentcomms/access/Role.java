package io.incidentcomms.access;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an API key may do, each key no more than its job needs. The permissions below are what
 * resources ask for ({@code @RolesAllowed}); a role grants a set of them.
 *
 * <ul>
 * <li>{@code ops}: incidents, previews, deliveries, summaries, templates, channels, subscribers
 * (including the export of every address)</li>
 * <li>{@code events}: posting disruption events ({@code POST /api/events})</li>
 * <li>{@code bounces}: reporting bounces ({@code POST /api/bounces})</li>
 * <li>{@code subscriber-sync}: keeping subscribers in step with a CRM (import, create, update,
 * read one, opt out, erase) — but never the export of everyone</li>
 * <li>{@code integration}: the role before the split, now events and bounces only</li>
 * <li>{@code statuspage}: a tool that speaks Atlassian Statuspage's API (Jira Service Management,
 * Opsgenie, scripts): incidents through {@code /v1/pages/{page_id}/incidents} only</li>
 * <li>{@code admin}: everything, and the keys themselves</li>
 * </ul>
 */
public enum Role {
    OPS, EVENTS, BOUNCES, SUBSCRIBER_SYNC, INTEGRATION, STATUSPAGE, ADMIN;

    public static final String OPS_NAME = "ops";
    public static final String EVENTS_NAME = "events";
    public static final String BOUNCES_NAME = "bounces";
    /** Manage subscribers one by one or by import; not the export. */
    public static final String SUBSCRIBERS_NAME = "subscribers";
    /** Export every subscriber with their addresses. */
    public static final String SUBSCRIBER_EXPORT_NAME = "subscriber-export";
    /** Incidents through the Statuspage-compatible API. */
    public static final String STATUSPAGE_API_NAME = "statuspage-api";
    public static final String ADMIN_NAME = "admin";

    public Set<String> grantedRoles() {
        return switch (this) {
            case OPS -> Set.of(OPS_NAME, SUBSCRIBERS_NAME, SUBSCRIBER_EXPORT_NAME, STATUSPAGE_API_NAME);
            case EVENTS -> Set.of(EVENTS_NAME);
            case BOUNCES -> Set.of(BOUNCES_NAME);
            case SUBSCRIBER_SYNC -> Set.of(SUBSCRIBERS_NAME);
            case INTEGRATION -> Set.of(EVENTS_NAME, BOUNCES_NAME);
            case STATUSPAGE -> Set.of(STATUSPAGE_API_NAME);
            case ADMIN -> Set.of(ADMIN_NAME, OPS_NAME, EVENTS_NAME, BOUNCES_NAME, SUBSCRIBERS_NAME, SUBSCRIBER_EXPORT_NAME,
                    STATUSPAGE_API_NAME);
        };
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }
}
