package io.incidentcomms.incident;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** The global kill switch: while paused, no customer message of any incident goes out. */
@Tag(name = ApiDocument.INCIDENTS)
@Path("/api/messaging")
@RolesAllowed(Role.OPS_NAME)
public class MessagingResource {

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final SecurityIdentity identity;

    MessagingResource(IncidentService incidents, IncidentQueries queries, SecurityIdentity identity) {
        this.incidents = incidents;
        this.queries = queries;
        this.identity = identity;
    }

    public record MessagingState(boolean paused) {
    }

    @GET
    public MessagingState state() {
        return new MessagingState(queries.globallyPaused());
    }

    @POST
    @Path("pause")
    public MessagingState pause() {
        return new MessagingState(incidents.setGloballyPaused(true, Actors.of(identity)));
    }

    @POST
    @Path("resume")
    public MessagingState resume() {
        return new MessagingState(incidents.setGloballyPaused(false, Actors.of(identity)));
    }
}
