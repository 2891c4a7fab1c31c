package io.incidentcomms.delivery;

import io.incidentcomms.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Counts of an incident's notifications per channel and state. */
@Path("/api/incidents/{key}/summary")
@RolesAllowed(Role.OPS_NAME)
public class DeliverySummaryResource {

    private final DeliveryLog log;

    DeliverySummaryResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    public DeliveryLog.Summary summary(@PathParam("key") String key) {
        return log.summary(key);
    }
}
