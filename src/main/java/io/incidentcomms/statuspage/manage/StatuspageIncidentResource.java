package io.incidentcomms.statuspage.manage;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Atlassian Statuspage's incident API ({@code /v1/pages/{page_id}/incidents}), so that tools that
 * post to Statuspage (Jira Service Management, Opsgenie, scripts) post here by changing the base
 * URL and the key; they authenticate with {@code Authorization: OAuth <key>} and a
 * {@code statuspage} (or ops) key.
 */
@Tag(name = ApiDocument.INCIDENTS)
@Path("/v1/pages/{page_id}/incidents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.STATUSPAGE_API_NAME)
public class StatuspageIncidentResource {

    private final StatuspageIncidents incidents;
    private final SecurityIdentity identity;

    StatuspageIncidentResource(StatuspageIncidents incidents, SecurityIdentity identity) {
        this.incidents = incidents;
        this.identity = identity;
    }

    @POST
    public Response create(@PathParam("page_id") String pageId, @Valid @NotNull StatuspageIncidentRequest request) {
        StatuspageIncident created = incidents.create(pageId, request.incident(), Actors.of(identity));
        return Response.created(URI.create("/v1/pages/" + pageId + "/incidents/" + created.id())).entity(created).build();
    }

    @GET
    public List<StatuspageIncident> list(@PathParam("page_id") String pageId,
            @QueryParam("page") @DefaultValue("1") int page, @QueryParam("limit") @DefaultValue("100") int limit) {
        return incidents.list(pageId, page, limit);
    }

    @GET
    @Path("{incident_id}")
    public StatuspageIncident get(@PathParam("page_id") String pageId, @PathParam("incident_id") String id) {
        return incidents.get(pageId, id);
    }

    @PATCH
    @Path("{incident_id}")
    public StatuspageIncident update(@PathParam("page_id") String pageId, @PathParam("incident_id") String id,
            @Valid @NotNull StatuspageIncidentRequest request) {
        return incidents.update(pageId, id, request.incident(), Actors.of(identity));
    }

    /** Statuspage takes PUT as PATCH. */
    @PUT
    @Path("{incident_id}")
    public StatuspageIncident replace(@PathParam("page_id") String pageId, @PathParam("incident_id") String id,
            @Valid @NotNull StatuspageIncidentRequest request) {
        return update(pageId, id, request);
    }
}
