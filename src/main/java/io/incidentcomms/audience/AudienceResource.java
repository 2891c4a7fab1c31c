package io.incidentcomms.audience;

import io.incidentcomms.access.Role;
import io.incidentcomms.incident.IncidentService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Who will be told, before publishing. */
@Path("/api/incidents/{key}/audience")
@RolesAllowed(Role.OPS_NAME)
public class AudienceResource {

    private final IncidentService incidents;
    private final AudienceResolver resolver;

    AudienceResource(IncidentService incidents, AudienceResolver resolver) {
        this.incidents = incidents;
        this.resolver = resolver;
    }

    @GET
    public AudienceResolver.Preview preview(@PathParam("key") String key) {
        return resolver.preview(incidents.audienceTarget(key));
    }
}
