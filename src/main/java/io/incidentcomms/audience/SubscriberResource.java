package io.incidentcomms.audience;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.audience.SubscriberViews.Page;
import io.incidentcomms.audience.SubscriberViews.SubscriberView;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.EnumParams;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Subscribers by external ref. Ops and integrations (customer systems that sync) may manage them.
 * The bulk import is {@link SubscriberImportRoute}.
 */
@Tag(name = ApiDocument.AUDIENCE)
@Path("/api/subscribers")
@RolesAllowed(Role.SUBSCRIBERS_NAME)
public class SubscriberResource {

    static final String JSON_LINES = "application/x-ndjson";

    private final SubscriberService subscribers;
    private final SubscriberExport export;
    private final ConsentService consent;
    private final SecurityIdentity identity;

    SubscriberResource(SubscriberService subscribers, SubscriberExport export, ConsentService consent,
            SecurityIdentity identity) {
        this.export = export;
        this.subscribers = subscribers;
        this.consent = consent;
        this.identity = identity;
    }

    /** Opts one channel of the subscriber out (e.g. a customer asked support to stop SMS). */
    @POST
    @Path("{ref}/contact-points/{channel}/opt-out")
    public SubscriberView optOut(@PathParam("ref") String ref, @PathParam("channel") String channel) {
        consent.optOut(ref, EnumParams.require(Channel.class, "channel", channel), ConsentService.OptOutVia.API,
                Actors.of(identity));
        return subscribers.get(ref);
    }

    @POST
    public Response create(@NotNull SubscriberInput input) {
        SubscriberView view = subscribers.create(input);
        return Response.created(URI.create("/api/subscribers/" + view.externalRef())).entity(view).build();
    }

    @PUT
    @Path("{ref}")
    public SubscriberView upsert(@PathParam("ref") String ref, @NotNull SubscriberInput input) {
        return subscribers.upsert(ref, input);
    }

    @GET
    @Path("{ref}")
    public SubscriberView get(@PathParam("ref") String ref) {
        return subscribers.get(ref);
    }

    /** Pages through everyone, addresses and all: bulk personal data, for ops and admins only. */
    @GET
    @RolesAllowed(Role.SUBSCRIBER_EXPORT_NAME)
    public Page<SubscriberView> list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(100_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return subscribers.list(page, size);
    }

    /** Erases the subscriber's personal data everywhere; anonymous delivery counts remain. */
    @DELETE
    @Path("{ref}")
    public void erase(@PathParam("ref") String ref) {
        subscribers.erase(ref, Actors.of(identity));
    }

    @GET
    @Path("export")
    @Produces(JSON_LINES)
    @RolesAllowed(Role.SUBSCRIBER_EXPORT_NAME)
    public StreamingOutput export() {
        return export::write;
    }
}
