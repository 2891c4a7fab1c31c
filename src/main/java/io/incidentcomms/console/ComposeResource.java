package io.incidentcomms.console;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.incidentcomms.audience.ScopesInUse;
import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Declaring an incident: the form, its live preview (the real email and SMS per language, the
 * review's warnings and the audience), and saving it as a draft, which the incident's page then
 * offers to publish.
 */
@Path("/console/incidents")
@PermitAll
@ConsoleForms
@Allowed(ConsoleRole.OPS)
@Produces(MediaType.TEXT_HTML)
public class ComposeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance compose(ComposeForm form, List<ScopeChoices.Choice> scopes,
                List<ScopesInUse.InUse> inUse, List<String> locales,
                List<String> kinds, List<String> severities, List<String> statuses, ConsolePreview preview,
                Map<String, String> errors);

        static native TemplateInstance compose$preview(ConsolePreview preview);
    }

    private final ConsolePreviews previews;
    private final IncidentService incidents;
    private final ConsoleCommands commands;
    private final ScopeChoices choices;
    private final ScopesInUse scopesInUse;
    private final MessageConfig messages;
    private final CurrentUser currentUser;
    private final Clock clock;

    ComposeResource(ConsolePreviews previews, IncidentService incidents, ConsoleCommands commands,
            ScopeChoices choices, ScopesInUse scopesInUse, MessageConfig messages, CurrentUser currentUser, Clock clock) {
        this.previews = previews;
        this.incidents = incidents;
        this.commands = commands;
        this.choices = choices;
        this.scopesInUse = scopesInUse;
        this.messages = messages;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @GET
    @Path("new")
    public TemplateInstance form() {
        return page(ComposeForm.empty(), ConsolePreview.empty(), Map.of());
    }

    @POST
    @Path("new/preview")
    @WithFormRead
    public TemplateInstance preview(ServerRequestContext request, @HeaderParam("HX-Request") String htmx) {
        ComposeForm form = ComposeForm.read(((ResteasyReactiveRequestContext) request).getFormData());
        ConsolePreview preview = previews.declaration(form, currentUser.actor());
        return htmx != null ? Templates.compose$preview(preview) : page(form, preview, Map.of());
    }

    @POST
    @WithFormRead
    public Response save(ServerRequestContext request) {
        ComposeForm form = ComposeForm.read(((ResteasyReactiveRequestContext) request).getFormData());
        try {
            DeclareIncident command = commands.valid(form.declaration(clock.instant()));
            String key = incidents.declare(command, currentUser.actor(), ConsolePreviews.SOURCE, null).key();
            return Response.seeOther(URI.create("/console/incidents/" + key)).build();
        } catch (ProblemException e) {
            return Response.status(e.status() == 409 ? 409 : 400)
                    .entity(page(form, previews.declaration(form, currentUser.actor()), ConsolePages.errors(e))).build();
        }
    }

    private TemplateInstance page(ComposeForm form, ConsolePreview preview, Map<String, String> errors) {
        List<ScopeChoices.Choice> components = choices.components();
        java.util.Set<String> inCatalog = components.stream().map(ScopeChoices.Choice::scope)
                .collect(java.util.stream.Collectors.toSet());
        return Templates.compose(form, components,
                scopesInUse.mostUsed().stream().filter(s -> !inCatalog.contains(s.scope())).toList(), messages.locales(),
                ConsoleChoices.of(IncidentKind.values()),
                ConsoleChoices.of(Severity.values()), ComposeForm.STATUSES, preview, errors);
    }
}
