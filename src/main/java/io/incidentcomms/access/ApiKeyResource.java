package io.incidentcomms.access;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

@Tag(name = ApiDocument.ACCESS)
@Path("/api/keys")
@RolesAllowed(Role.ADMIN_NAME)
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    public record NewKey(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}") String name, @NotNull Role role) {
    }

    @POST
    public Response create(@Valid @NotNull NewKey request) {
        return Response.status(201).entity(keys.create(request.name(), request.role(), Actors.of(identity))).build();
    }

    @GET
    public List<ApiKeyService.KeyView> list() {
        return keys.list();
    }

    @DELETE
    @Path("{name}")
    public void revoke(@PathParam("name") String name) {
        keys.revoke(name, Actors.of(identity));
    }

    /** Maps the authenticated caller to the actor named in audit entries. */
    public static final class Actors {
        private Actors() {
        }

        public static Actor of(SecurityIdentity identity) {
            return identity.isAnonymous() ? new Actor("anonymous") : Actor.apiKey(identity.getPrincipal().getName());
        }
    }
}
