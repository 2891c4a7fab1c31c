package io.incidentcomms.console;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;

import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The admin's list of console users: add one with a role and a first password, or remove one. */
@Path("/console/users")
@PermitAll
@ConsoleForms
@Allowed(ConsoleRole.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class UsersResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(List<ConsoleUsers.UserRow> users, List<String> roles,
                Map<String, String> filled, Map<String, String> errors);
    }

    private final ConsoleUsers users;
    private final CurrentUser currentUser;

    UsersResource(ConsoleUsers users, CurrentUser currentUser) {
        this.users = users;
        this.currentUser = currentUser;
    }

    @GET
    public TemplateInstance list() {
        return page(Map.of(), Map.of());
    }

    @POST
    public Response create(@RestForm String username, @RestForm String role, @RestForm String password) {
        try {
            ConsoleRole chosen;
            try {
                chosen = ConsoleRole.fromWire(role == null ? "" : role);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("role", "is not one of viewer, ops, admin");
            }
            users.create(username, chosen, password, currentUser.actor());
            return Response.seeOther(URI.create("/console/users")).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(Map.of("username", username == null ? "" : username,
                    "role", role == null ? "" : role), ConsolePages.errors(e))).build();
        }
    }

    @POST
    @Path("remove")
    public Response remove(@RestForm String username) {
        if (currentUser.username().equals(username)) {
            return Response.status(409).entity(page(Map.of(), Map.of("", "You cannot remove yourself."))).build();
        }
        users.remove(username, currentUser.actor());
        return Response.seeOther(URI.create("/console/users")).build();
    }

    private TemplateInstance page(Map<String, String> filled, Map<String, String> errors) {
        return Templates.users(users.list(), ConsoleChoices.of(ConsoleRole.values()), filled, errors);
    }
}
