package io.incidentcomms.delivery;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.EnumParams;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** The delivery log of one incident: who was told what, when, and how it went. */
@Tag(name = ApiDocument.DELIVERY)
@Path("/api/incidents/{key}/deliveries")
@RolesAllowed(Role.OPS_NAME)
public class DeliveryResource {

    private final DeliveryLog log;

    DeliveryResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    public DeliveryLog.Page deliveries(@PathParam("key") String key, @QueryParam("status") String status,
            @QueryParam("channel") String channel, @QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        if (status != null && !DeliveryLog.STATES.contains(status.toUpperCase())) {
            throw ProblemException.invalidField("status", "must be one of " + String.join(", ",
                    DeliveryLog.STATES.stream().map(String::toLowerCase).toList()));
        }
        Channel parsed = EnumParams.parse(Channel.class, "channel", channel);
        return log.deliveries(key, status, parsed == null ? null : parsed.name(), page, size);
    }
}
