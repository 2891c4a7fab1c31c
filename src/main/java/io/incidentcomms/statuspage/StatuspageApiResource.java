package io.incidentcomms.statuspage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.statuspage.StatuspageFormat.Component;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The public status in Statuspage's v2 API shapes ({@code /api/v2/summary.json} and the rest), so
 * that existing widgets and monitors work by pointing them here. Open to any origin (CORS) and
 * cacheable ({@link PublicCaching}); texts in the status page's first language.
 */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/api/v2")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class StatuspageApiResource {

    private final PublicStatus publicStatus;
    private final MessageConfig messages;
    private final StatusPageConfig config;

    StatuspageApiResource(PublicStatus publicStatus, MessageConfig messages, StatusPageConfig config) {
        this.publicStatus = publicStatus;
        this.messages = messages;
        this.config = config;
    }

    @GET
    @Path("summary.json")
    public StatuspageFormat.Summary summary() {
        View view = view();
        return new StatuspageFormat.Summary(view.page, view.components, view.incidents(false),
                view.maintenances(true, true), StatuspageFormat.status(view.snapshot.overall()));
    }

    @GET
    @Path("status.json")
    public StatuspageFormat.StatusResponse status() {
        View view = view();
        return new StatuspageFormat.StatusResponse(view.page, StatuspageFormat.status(view.snapshot.overall()));
    }

    @GET
    @Path("components.json")
    public StatuspageFormat.Components components() {
        View view = view();
        return new StatuspageFormat.Components(view.page, view.components);
    }

    @GET
    @Path("incidents.json")
    public StatuspageFormat.Incidents incidents() {
        View view = view();
        return new StatuspageFormat.Incidents(view.page, view.incidents(true));
    }

    @GET
    @Path("incidents/unresolved.json")
    public StatuspageFormat.Incidents unresolvedIncidents() {
        View view = view();
        return new StatuspageFormat.Incidents(view.page, view.incidents(false));
    }

    @GET
    @Path("scheduled-maintenances.json")
    public StatuspageFormat.ScheduledMaintenances scheduledMaintenances() {
        View view = view();
        return new StatuspageFormat.ScheduledMaintenances(view.page, view.maintenances(true, true, true));
    }

    @GET
    @Path("scheduled-maintenances/upcoming.json")
    public StatuspageFormat.ScheduledMaintenances upcomingMaintenances() {
        View view = view();
        return new StatuspageFormat.ScheduledMaintenances(view.page, view.maintenances(true, false));
    }

    @GET
    @Path("scheduled-maintenances/active.json")
    public StatuspageFormat.ScheduledMaintenances activeMaintenances() {
        View view = view();
        return new StatuspageFormat.ScheduledMaintenances(view.page, view.maintenances(false, true));
    }

    private View view() {
        PublicStatus.Snapshot snapshot = publicStatus.now();
        String locale = messages.locales().get(0);
        StatuspageFormat.Page page = StatuspageFormat.page(snapshot, messages.brand(), messages.publicBaseUrl(),
                config.timeZone().getId());
        List<Component> components = StatuspageFormat.components(snapshot, page.id(), locale);
        return new View(snapshot, page, components, locale);
    }

    /** One response's material, read from one snapshot. */
    private final class View {
        final PublicStatus.Snapshot snapshot;
        final StatuspageFormat.Page page;
        final List<Component> components;
        final String locale;
        final Map<String, Component> byScope = new LinkedHashMap<>();

        View(PublicStatus.Snapshot snapshot, StatuspageFormat.Page page, List<Component> components, String locale) {
            this.snapshot = snapshot;
            this.page = page;
            this.components = components;
            this.locale = locale;
            for (PublicStatus.ComponentState state : snapshot.components()) {
                String id = StatuspageFormat.id(state.scope());
                components.stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(c -> byScope.put(state.scope(), c));
            }
        }

        /** Unplanned incidents: the unresolved ones, and with {@code closedToo} the latest resolved ones as well. */
        List<StatuspageFormat.Incident> incidents(boolean closedToo) {
            return snapshot.incidents().stream().filter(i -> !i.kind().planned())
                    .filter(i -> closedToo || !i.state().closed())
                    .map(i -> StatuspageFormat.incident(i, page.id(), messages.publicBaseUrl(), locale, byScope)).toList();
        }

        List<StatuspageFormat.ScheduledMaintenance> maintenances(boolean upcoming, boolean active) {
            return maintenances(upcoming, active, false);
        }

        /** Planned work: not started yet ({@code upcoming}), going on ({@code active}), and with {@code done} finished. */
        List<StatuspageFormat.ScheduledMaintenance> maintenances(boolean upcoming, boolean active, boolean done) {
            return snapshot.incidents().stream().filter(i -> i.kind().planned())
                    .filter(i -> (upcoming && i.state() == IncidentState.SCHEDULED)
                            || (active && i.state() == IncidentState.IN_PROGRESS) || (done && i.state().closed()))
                    .map(i -> StatuspageFormat.maintenance(i, page.id(), messages.publicBaseUrl(), locale, byScope))
                    .toList();
        }
    }
}
