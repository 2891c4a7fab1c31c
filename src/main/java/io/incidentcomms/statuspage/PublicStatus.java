package io.incidentcomms.statuspage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.UpdatePublished;
import io.incidentcomms.platform.Hashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * What the public may see right now, read once and shared by every public response for a few
 * seconds: the components with their status and uptime, and the public incidents (open ones and
 * the latest closed). Its version is the ETag of every response made from it.
 */
@ApplicationScoped
public class PublicStatus {

    /** A component as the public sees it. */
    public record ComponentState(String scope, Map<String, String> names, Map<String, String> descriptions,
            String group, int position, ComponentStatus status, Instant since, Instant createdAt, Instant updatedAt,
            Uptime.Report uptime) {
    }

    /** The public state at {@code at}; {@code version} changes whenever anything in it does. */
    public record Snapshot(Instant at, String version, List<ComponentState> components, List<IncidentView> incidents) {

        /** The worst status of any component. */
        public ComponentStatus overall() {
            return components.stream().map(ComponentState::status).reduce(ComponentStatus.OPERATIONAL,
                    ComponentStatus::worse);
        }
    }

    private final ComponentCatalog catalog;
    private final ComponentStatuses statuses;
    private final IncidentQueries incidents;
    private final StatusPageConfig config;
    private final Clock clock;
    private volatile Snapshot cached;

    PublicStatus(ComponentCatalog catalog, ComponentStatuses statuses, IncidentQueries incidents,
            StatusPageConfig config, Clock clock) {
        this.catalog = catalog;
        this.statuses = statuses;
        this.incidents = incidents;
        this.config = config;
        this.clock = clock;
    }

    public Snapshot now() {
        Snapshot snapshot = cached;
        Instant now = clock.instant();
        if (snapshot == null || !snapshot.at().plus(config.cacheTtl()).isAfter(now) || snapshot.at().isAfter(now)) {
            synchronized (this) {
                snapshot = cached;
                if (snapshot == null || !snapshot.at().plus(config.cacheTtl()).isAfter(now) || snapshot.at().isAfter(now)) {
                    snapshot = read(now);
                    cached = snapshot;
                }
            }
        }
        return snapshot;
    }

    /** A published update shows at once on this replica (others see it within the cache's lifetime). */
    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) UpdatePublished published) {
        cached = null;
    }

    /** The catalog changed. */
    void forget() {
        cached = null;
    }

    private Snapshot read(Instant now) {
        Map<String, ComponentStatus> current = statuses.current();
        Map<String, List<ComponentStatuses.Change>> history = statuses.history(
                now.minus(java.time.Duration.ofDays(config.uptimeDays() + 1L)));
        List<ComponentState> components = new ArrayList<>();
        StringBuilder fingerprint = new StringBuilder();
        for (ComponentCatalog.Entry entry : catalog.list()) {
            List<ComponentStatuses.Change> changes = history.getOrDefault(entry.scope(), List.of());
            ComponentStatus status = current.getOrDefault(entry.scope(), ComponentStatus.OPERATIONAL);
            Instant since = changes.isEmpty() ? entry.updatedAt() : changes.get(changes.size() - 1).since();
            components.add(new ComponentState(entry.scope(), entry.names(), entry.descriptions(), entry.group(),
                    entry.position(), status, since, entry.createdAt(), entry.updatedAt(),
                    Uptime.of(changes, now, config.timeZone(), config.uptimeDays())));
            ComponentState state = components.get(components.size() - 1);
            fingerprint.append(entry.scope()).append(entry.updatedAt()).append(status).append(since)
                    .append(state.uptime().uptime());
        }
        List<IncidentView> views = incidents.publicIncidents(config.recentIncidents());
        views.forEach(view -> fingerprint.append(view.key()).append(view.updatedAt()).append(view.timeline().size()));
        // the day bars move on at midnight, so a day's snapshot differs from the next day's
        fingerprint.append(now.atZone(config.timeZone()).toLocalDate());
        return new Snapshot(now, Hashes.sha256Hex(fingerprint.toString()).substring(0, 20), List.copyOf(components),
                List.copyOf(views));
    }
}
