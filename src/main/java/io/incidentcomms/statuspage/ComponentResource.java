package io.incidentcomms.statuspage;

import java.util.List;
import java.util.Map;

import io.incidentcomms.access.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** The component catalog: display names per locale of what customers subscribe to and hear about. */
@Path("/api/components")
public class ComponentResource {

    /** An entry as ops write it; {@code names} and {@code descriptions} are locale → text. */
    public record ComponentInput(@NotNull Map<String, String> names, Map<String, String> descriptions, String group,
            Integer position) {
    }

    private final ComponentCatalog catalog;

    ComponentResource(ComponentCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @PermitAll
    public List<ComponentCatalog.Entry> list() {
        return catalog.list();
    }

    @GET
    @Path("{scope}")
    @PermitAll
    public ComponentCatalog.Entry get(@PathParam("scope") String scope) {
        return catalog.get(scope);
    }

    @PUT
    @Path("{scope}")
    @RolesAllowed(Role.OPS_NAME)
    public ComponentCatalog.Entry put(@PathParam("scope") String scope, @NotNull ComponentInput input) {
        return catalog.put(scope, input.names(), input.descriptions(), input.group(), input.position());
    }

    @DELETE
    @Path("{scope}")
    @RolesAllowed(Role.OPS_NAME)
    public Response delete(@PathParam("scope") String scope) {
        catalog.delete(scope);
        return Response.noContent().build();
    }
}
