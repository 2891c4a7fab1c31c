package io.incidentcomms.statuspage;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** The component catalog: display names per locale of what customers subscribe to and hear about. */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/api/components")
public class ComponentResource {

    /** An entry as ops write it; {@code names} and {@code descriptions} are locale → text. */
    public record ComponentInput(
            @NotNull @Size(min = 1, max = 20) Map<@Size(min = 2, max = 35) String, @NotBlank @Size(max = 200) String> names,
            @Size(max = 20) Map<@Size(min = 2, max = 35) String, @NotNull @Size(max = 2000) String> descriptions,
            @Size(max = 100) String group,
            @Min(-1_000_000) @Max(1_000_000) Integer position) {
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
    public ComponentCatalog.Entry put(@PathParam("scope") String scope, @Valid @NotNull ComponentInput input) {
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
