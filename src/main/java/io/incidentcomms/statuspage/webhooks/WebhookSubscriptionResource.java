package io.incidentcomms.statuspage.webhooks;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.ApiKeyResource.Actors;
import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Subscribers' webhook endpoints: sign one up (its secret is answered once), list them, remove one. */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/api/webhook-subscriptions")
@RolesAllowed(Role.OPS_NAME)
public class WebhookSubscriptionResource {

    /** An endpoint to tell: a public http(s) URL, the scopes it wants (none: every public incident), whom to tell if it is disabled. */
    public record SubscribeRequest(@NotBlank @Size(max = 2000) String url, @Size(max = 100) List<@NotBlank String> scopes,
            @Email @Size(max = 320) String contactEmail) {
    }

    private final WebhookSubscriptions subscriptions;
    private final SecurityIdentity identity;

    WebhookSubscriptionResource(WebhookSubscriptions subscriptions, SecurityIdentity identity) {
        this.subscriptions = subscriptions;
        this.identity = identity;
    }

    @POST
    public Response subscribe(@Valid @NotNull SubscribeRequest request) {
        WebhookSubscriptions.Subscription created = subscriptions.subscribe(request.url(), request.scopes(),
                request.contactEmail(), Actors.of(identity));
        return Response.created(URI.create("/api/webhook-subscriptions/" + created.id())).entity(created).build();
    }

    @GET
    public List<WebhookSubscriptions.Subscription> list() {
        return subscriptions.list();
    }

    @DELETE
    @Path("{id}")
    public Response unsubscribe(@PathParam("id") long id) {
        subscriptions.unsubscribe(id, Actors.of(identity));
        return Response.noContent().build();
    }
}
