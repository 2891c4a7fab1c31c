package io.incidentcomms.console;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;

import io.incidentcomms.access.ApiKeyResource;
import io.incidentcomms.access.ApiKeyService;
import io.incidentcomms.access.Role;
import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleForms;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The API keys of integrations, for admins: create one (its secret shown once), see them all, revoke one. */
@Path("/console/keys")
@PermitAll
@ConsoleForms
@Allowed(ConsoleRole.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class ApiKeysResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(List<ApiKeyService.KeyView> keys, List<String> roles,
                ApiKeyService.CreatedKey created, Map<String, String> errors);
    }

    private final ApiKeyService keys;
    private final ConsoleCommands commands;
    private final CurrentUser currentUser;

    ApiKeysResource(ApiKeyService keys, ConsoleCommands commands, CurrentUser currentUser) {
        this.keys = keys;
        this.commands = commands;
        this.currentUser = currentUser;
    }

    @GET
    public TemplateInstance list() {
        return page(null, Map.of());
    }

    @POST
    public Response create(@RestForm String name, @RestForm String role) {
        try {
            Role chosen = Arrays.stream(Role.values()).filter(r -> r.wire().equals(role)).findFirst()
                    .orElseThrow(() -> ProblemException.invalidField("role", "is not one of the roles"));
            ApiKeyResource.NewKey key = commands.valid(new ApiKeyResource.NewKey(name == null ? "" : name.trim(), chosen));
            return Response.ok(page(keys.create(key.name(), key.role(), currentUser.actor()), Map.of())).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(null, ConsolePages.errors(e))).build();
        }
    }

    @POST
    @Path("revoke")
    public Response revoke(@RestForm String name) {
        keys.revoke(name == null ? "" : name, currentUser.actor());
        return Response.seeOther(URI.create("/console/keys")).build();
    }

    private TemplateInstance page(ApiKeyService.CreatedKey created, Map<String, String> errors) {
        return Templates.keys(keys.list(), Arrays.stream(Role.values()).map(Role::wire).toList(), created, errors);
    }
}
