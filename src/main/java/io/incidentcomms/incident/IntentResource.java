package io.incidentcomms.incident;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Updates whose messages could not be planned: waiting for a retry, or set aside with their error. */
@Tag(name = ApiDocument.DELIVERY)
@Path("/api/intents/failing")
@RolesAllowed(Role.OPS_NAME)
public class IntentResource {

    private final NotificationIntents intents;

    IntentResource(NotificationIntents intents) {
        this.intents = intents;
    }

    @GET
    public List<NotificationIntents.SetAside> failing() {
        return intents.failing();
    }
}
