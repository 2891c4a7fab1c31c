package io.incidentcomms.incident;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.audit.AuditLog.AuditEntryView;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.Page;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.platform.idempotency.Idempotency;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.EnumParams;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Ops declare and update incidents here. Reads without a key get the public timeline only
 * (customer-facing text); ops keys also see owners, recipients, drafts and internal notes.
 */
@Tag(name = ApiDocument.INCIDENTS)
@Path("/api/incidents")
public class IncidentResource {

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final Idempotency idempotency;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    IncidentResource(IncidentService incidents, IncidentQueries queries, Idempotency idempotency, AuditLog audit,
            SecurityIdentity identity) {
        this.incidents = incidents;
        this.queries = queries;
        this.idempotency = idempotency;
        this.audit = audit;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.OPS_NAME)
    public Response declare(@Valid @NotNull DeclareIncident request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, principal(), "POST /api/incidents", request, () -> {
            IncidentView view = incidents.declare(request, Actors.of(identity), "api", null);
            return Response.created(URI.create("/api/incidents/" + view.key())).entity(view).build();
        });
    }

    @POST
    @Path("{key}/updates")
    @RolesAllowed(Role.OPS_NAME)
    public Response postUpdate(@PathParam("key") String key, @Valid @NotNull PostUpdate request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.execute(idempotencyKey, principal(), "POST /api/incidents/" + key + "/updates", request,
                () -> Response.status(201).entity(incidents.postUpdate(key, request, Actors.of(identity))).build());
    }

    @POST
    @Path("{key}/updates/{seq}/publish")
    @RolesAllowed(Role.OPS_NAME)
    public UpdateView publish(@PathParam("key") String key, @PathParam("seq") int seq) {
        return incidents.publishDraft(key, seq, Actors.of(identity));
    }

    @GET
    @Path("{key}/updates/{seq}/preview")
    @RolesAllowed(Role.OPS_NAME)
    public UpdateView preview(@PathParam("key") String key, @PathParam("seq") int seq) {
        return incidents.preview(key, seq);
    }

    @POST
    @Path("{key}/pause")
    @RolesAllowed(Role.OPS_NAME)
    public IncidentView pause(@PathParam("key") String key) {
        return incidents.setPaused(key, true, Actors.of(identity));
    }

    @POST
    @Path("{key}/resume")
    @RolesAllowed(Role.OPS_NAME)
    public IncidentView resume(@PathParam("key") String key) {
        return incidents.setPaused(key, false, Actors.of(identity));
    }

    @GET
    @Path("{key}/audit")
    @RolesAllowed(Role.OPS_NAME)
    public List<AuditEntryView> auditLog(@PathParam("key") String key) {
        queries.get(key, false);
        return audit.forTarget(key);
    }

    @GET
    public Page<IncidentView> list(@QueryParam("state") String state, @QueryParam("severity") String severity,
            @QueryParam("scope") String scope, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        var filter = new IncidentQueries.ListFilter(EnumParams.parse(IncidentState.class, "state", state),
                EnumParams.parse(Severity.class, "severity", severity), scope, instant("from", from), instant("to", to));
        return queries.list(filter, page, size, internal());
    }

    @GET
    @Path("{key}")
    public IncidentView get(@PathParam("key") String key) {
        return queries.get(key, internal());
    }

    private static Instant instant(String parameter, String value) {
        try {
            return value == null || value.isBlank() ? null : Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalidField(parameter, "must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
        }
    }

    private boolean internal() {
        return identity.hasRole(Role.OPS_NAME);
    }

    private String principal() {
        return identity.getPrincipal().getName();
    }
}
