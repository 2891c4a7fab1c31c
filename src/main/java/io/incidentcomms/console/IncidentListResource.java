package io.incidentcomms.console;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestQuery;

import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.Page;
import io.incidentcomms.incident.Severity;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The console's first page: incidents, open ones first, filtered by state, severity, scope and text. */
@Path("/console")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class IncidentListResource {

    static final int PAGE_SIZE = 25;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Page<IncidentView> incidents, Map<String, String> filter, List<String> states,
                List<String> severities, int pages, int current);
    }

    private final IncidentQueries queries;

    IncidentListResource(IncidentQueries queries) {
        this.queries = queries;
    }

    @GET
    public TemplateInstance list(@RestQuery String state, @RestQuery String severity, @RestQuery String scope,
            @RestQuery String q, @RestQuery Integer page) {
        IncidentState stateFilter = ConsoleChoices.parse(IncidentState.class, state);
        Severity severityFilter = ConsoleChoices.parse(Severity.class, severity);
        int index = page == null || page < 1 ? 0 : page - 1;
        Page<IncidentView> found = queries.list(new IncidentQueries.ListFilter(stateFilter, severityFilter,
                blankToNull(scope), null, null, q, true), index, PAGE_SIZE, true);
        Map<String, String> filter = Map.of("state", ConsoleChoices.wire(stateFilter), "severity",
                ConsoleChoices.wire(severityFilter), "scope", scope == null ? "" : scope, "q", q == null ? "" : q);
        return Templates.list(found, filter, ConsoleChoices.of(IncidentState.values()),
                ConsoleChoices.of(Severity.values()), (int) Math.max(1, (found.total() + PAGE_SIZE - 1) / PAGE_SIZE),
                index + 1);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
