package io.incidentcomms.delivery;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.EnumParams;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** The senders' state (held, throttled, rate) and resuming a channel held after an account fault. */
@Tag(name = ApiDocument.DELIVERY)
@Path("/api/channels")
@RolesAllowed(Role.OPS_NAME)
public class ChannelResource {

    private final ChannelHolds holds;
    private final SecurityIdentity identity;

    ChannelResource(ChannelHolds holds, SecurityIdentity identity) {
        this.holds = holds;
        this.identity = identity;
    }

    @GET
    public List<SenderPacing.SenderState> channels() {
        return holds.states();
    }

    @POST
    @Path("{channel}/resume")
    public SenderPacing.SenderState resume(@PathParam("channel") String channel) {
        return holds.resume(EnumParams.require(Channel.class, "channel", channel), Actors.of(identity));
    }
}
