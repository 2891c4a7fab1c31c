package io.incidentcomms.feedback;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** For the user's mail relay: reports of emails that bounced (integration API key). */
@Tag(name = ApiDocument.FEEDBACK)
@Path("/api/bounces")
@RolesAllowed(Role.BOUNCES_NAME)
public class BounceResource {

    private final Bounces bounces;

    BounceResource(Bounces bounces) {
        this.bounces = bounces;
    }

    @POST
    public Bounces.Outcome report(@Valid @NotNull Bounces.Report report) {
        return bounces.receive(report);
    }
}
