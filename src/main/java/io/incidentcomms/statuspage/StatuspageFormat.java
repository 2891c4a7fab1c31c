package io.incidentcomms.statuspage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.platform.Hashes;

/**
 * The public state in the shapes of Atlassian Statuspage's public API (v2), field for field, so
 * that widgets and monitors written for Statuspage work by changing only the base URL. Ids are
 * stable: a component's is derived from its scope, an incident's is its key.
 */
public final class StatuspageFormat {

    private StatuspageFormat() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({ "id", "name", "url", "time_zone", "updated_at" })
    public record Page(String id, String name, String url, String timeZone, Instant updatedAt) {
    }

    public record Status(String indicator, String description) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Component(String id, String name, String status, Instant createdAt, Instant updatedAt, int position,
            String description, boolean showcase, String startDate, String groupId, String pageId, boolean group,
            boolean onlyShowIfDegraded, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> components) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IncidentUpdate(String id, String status, String body, String incidentId, Instant createdAt,
            Instant updatedAt, Instant displayAt, List<Object> affectedComponents, boolean deliverNotifications,
            String customTweet, String tweetId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Incident(String id, String name, String status, Instant createdAt, Instant updatedAt,
            Instant monitoringAt, Instant resolvedAt, String impact, String shortlink, Instant startedAt, String pageId,
            List<IncidentUpdate> incidentUpdates, List<Component> components) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScheduledMaintenance(String id, String name, String status, Instant createdAt, Instant updatedAt,
            Instant monitoringAt, Instant resolvedAt, String impact, String shortlink, Instant startedAt, String pageId,
            List<IncidentUpdate> incidentUpdates, List<Component> components, Instant scheduledFor,
            Instant scheduledUntil) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(Page page, List<Component> components, List<Incident> incidents,
            List<ScheduledMaintenance> scheduledMaintenances, Status status) {
    }

    public record StatusResponse(Page page, Status status) {
    }

    public record Components(Page page, List<Component> components) {
    }

    public record Incidents(Page page, List<Incident> incidents) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScheduledMaintenances(Page page, List<ScheduledMaintenance> scheduledMaintenances) {
    }

    /** The page: named after the brand, at the public address, in the status page's time zone. */
    static Page page(PublicStatus.Snapshot snapshot, String brand, String url, String timeZone) {
        Instant updated = snapshot.components().stream().map(PublicStatus.ComponentState::since)
                .max(Comparator.naturalOrder()).orElse(snapshot.at());
        for (IncidentView incident : snapshot.incidents()) {
            if (incident.updatedAt() != null && incident.updatedAt().isAfter(updated)) {
                updated = incident.updatedAt();
            }
        }
        return new Page(id("page:" + url), brand, url, timeZone, updated);
    }

    /**
     * The overall indicator as Statuspage derives it from the worst component: major outage is
     * critical, partial outage major, degraded performance minor; maintenance and operational are none.
     */
    public static Status status(ComponentStatus overall) {
        return switch (overall) {
            case MAJOR_OUTAGE -> new Status("critical", "Major System Outage");
            case PARTIAL_OUTAGE -> new Status("major", "Partial System Outage");
            case DEGRADED_PERFORMANCE -> new Status("minor", "Minor Service Outage");
            case UNDER_MAINTENANCE -> new Status("none", "Service Under Maintenance");
            case OPERATIONAL -> new Status("none", "All Systems Operational");
        };
    }

    /** Components, each group as a component of its own that lists its members, as Statuspage does. */
    static List<Component> components(PublicStatus.Snapshot snapshot, String pageId, String locale) {
        List<Component> components = new ArrayList<>();
        Map<String, List<PublicStatus.ComponentState>> groups = new LinkedHashMap<>();
        for (PublicStatus.ComponentState state : snapshot.components()) {
            if (state.group() != null) {
                groups.computeIfAbsent(state.group(), g -> new ArrayList<>()).add(state);
            }
            components.add(component(state, pageId, locale));
        }
        int position = components.size();
        for (Map.Entry<String, List<PublicStatus.ComponentState>> group : groups.entrySet()) {
            List<PublicStatus.ComponentState> members = group.getValue();
            ComponentStatus worst = members.stream().map(PublicStatus.ComponentState::status)
                    .reduce(ComponentStatus.OPERATIONAL, ComponentStatus::worse);
            Instant created = members.stream().map(PublicStatus.ComponentState::createdAt).min(Comparator.naturalOrder())
                    .orElse(snapshot.at());
            Instant updated = members.stream().map(PublicStatus.ComponentState::since).max(Comparator.naturalOrder())
                    .orElse(snapshot.at());
            components.add(new Component(id("group:" + group.getKey()), group.getKey(), worst.wire(), created, updated,
                    ++position, null, false, null, null, pageId, true, false,
                    members.stream().map(m -> id(m.scope())).toList()));
        }
        return components;
    }

    private static Component component(PublicStatus.ComponentState state, String pageId, String locale) {
        String description = LocalizedText.in(state.descriptions(), locale);
        return new Component(id(state.scope()), name(state, locale), state.status().wire(), state.createdAt(),
                state.since(), state.position(), description, true,
                state.createdAt() == null ? null : state.createdAt().toString().substring(0, 10),
                state.group() == null ? null : id("group:" + state.group()), pageId, false, false, null);
    }

    static String name(PublicStatus.ComponentState state, String locale) {
        String name = LocalizedText.in(state.names(), locale);
        return name != null ? name : state.names().values().stream().findFirst().orElse(state.scope());
    }

    static Incident incident(IncidentView view, String pageId, String baseUrl, String locale,
            Map<String, Component> componentsByScope) {
        return new Incident(view.key(), title(view, locale), incidentStatus(view.state()), view.startedAt(),
                view.updatedAt(), monitoringAt(view), view.resolvedAt(), impact(view.severity()),
                baseUrl + "/incidents/" + view.key(), view.startedAt(), pageId, updates(view, locale),
                touched(view, componentsByScope));
    }

    static ScheduledMaintenance maintenance(IncidentView view, String pageId, String baseUrl, String locale,
            Map<String, Component> componentsByScope) {
        return new ScheduledMaintenance(view.key(), title(view, locale), maintenanceStatus(view.state()),
                view.timeline().isEmpty() ? view.startedAt() : view.timeline().get(0).publishedAt(), view.updatedAt(),
                null, view.resolvedAt(), "maintenance", baseUrl + "/incidents/" + view.key(), view.startedAt(), pageId,
                updates(view, locale), touched(view, componentsByScope), view.startedAt(), view.expectedEndAt());
    }

    /** An incident's published updates, newest first, each with the status it left the incident in. */
    public static List<IncidentUpdate> updates(IncidentView view, String locale) {
        List<IncidentUpdate> updates = new ArrayList<>();
        IncidentState state = IncidentState.initial(view.kind());
        for (UpdateView update : view.timeline()) {
            if (update.publishedAt() == null) {
                continue;
            }
            state = update.stateTo() != null ? update.stateTo() : update.stateFrom() != null ? update.stateFrom() : state;
            String body = LocalizedText.in(update.explain(), locale);
            if (body == null) {
                body = LocalizedText.in(update.explain(), update.defaultLocale());
            }
            String status = view.kind().planned() ? maintenanceStatus(state) : incidentStatus(state);
            updates.add(new IncidentUpdate(view.key() + "-" + update.seq(), status, body == null ? "" : body, view.key(),
                    update.publishedAt(), update.publishedAt(), update.publishedAt(), null,
                    !Boolean.FALSE.equals(update.notifyCustomers()), null, null));
        }
        java.util.Collections.reverse(updates);
        return updates;
    }

    private static List<Component> touched(IncidentView view, Map<String, Component> componentsByScope) {
        return view.scopes().stream().map(componentsByScope::get).filter(java.util.Objects::nonNull).toList();
    }

    private static Instant monitoringAt(IncidentView view) {
        return view.timeline().stream().filter(u -> u.stateTo() == IncidentState.MONITORING)
                .map(UpdateView::publishedAt).findFirst().orElse(null);
    }

    private static String title(IncidentView view, String locale) {
        String title = LocalizedText.in(view.titles(), locale);
        return title != null ? title : view.title();
    }

    static String incidentStatus(IncidentState state) {
        return switch (state) {
            case INVESTIGATING, SCHEDULED -> "investigating";
            case IDENTIFIED, IN_PROGRESS -> "identified";
            case MONITORING -> "monitoring";
            case RESOLVED, COMPLETED, CANCELLED -> "resolved";
        };
    }

    static String maintenanceStatus(IncidentState state) {
        return switch (state) {
            case SCHEDULED -> "scheduled";
            case IN_PROGRESS, INVESTIGATING, IDENTIFIED -> "in_progress";
            case MONITORING -> "verifying";
            case COMPLETED, CANCELLED, RESOLVED -> "completed";
        };
    }

    static String impact(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "critical";
            case MAJOR -> "major";
            case MINOR -> "minor";
        };
    }

    /**
     * A stable 12-character id, as Statuspage's look: the first 64 bits of the name's hash in base 36,
     * zero-padded, since about one hash in a hundred has fewer than 12 base-36 digits.
     */
    public static String id(String of) {
        String hex = Hashes.sha256Hex(of);
        String digits = new java.math.BigInteger(hex.substring(0, 16), 16).toString(36);
        return "0".repeat(Math.max(0, 12 - digits.length())) + digits.substring(0, Math.min(12, digits.length()));
    }
}
