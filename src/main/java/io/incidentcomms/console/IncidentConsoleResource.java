package io.incidentcomms.console;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.incident.UpdateStatus;
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
 * An incident's page: its state, the live delivery panel, drafts with
 * their preview and the button that publishes them, the timeline, the update form, pause and resume.
 */
@Path("/console/incidents")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class IncidentConsoleResource {

    /** A draft and what publishing it would do. */
    public record Draft(int seq, ConsolePreview preview) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance incident(IncidentView incident, List<IncidentPages.Entry> timeline,
                List<Draft> drafts, DeliveryWatch.Watch watch, String nextUpdate, ComposeForm form,
                ConsolePreview preview, List<String> states, List<String> locales, List<ScopeChoices.Choice> components,
                List<String> statuses, List<io.incidentcomms.cadence.UpcomingDeadlines.Upcoming> deadlines,
                Map<String, String> errors);

        static native TemplateInstance incident$watch(IncidentView incident, DeliveryWatch.Watch watch, String nextUpdate);

        static native TemplateInstance incident$updatePreview(ConsolePreview preview);
    }

    private final IncidentQueries queries;
    private final IncidentService incidents;
    private final ConsolePreviews previews;
    private final ConsoleCommands commands;
    private final DeliveryWatch watch;
    private final IncidentPages pages;
    private final MessageConfig messages;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final ScopeChoices choices;
    private final io.incidentcomms.cadence.UpcomingDeadlines deadlines;

    IncidentConsoleResource(IncidentQueries queries, IncidentService incidents, ConsolePreviews previews,
            ConsoleCommands commands, DeliveryWatch watch, IncidentPages pages, MessageConfig messages,
            CurrentUser currentUser, Clock clock, ScopeChoices choices, io.incidentcomms.cadence.UpcomingDeadlines deadlines) {
        this.choices = choices;
        this.deadlines = deadlines;
        this.queries = queries;
        this.incidents = incidents;
        this.previews = previews;
        this.commands = commands;
        this.watch = watch;
        this.pages = pages;
        this.messages = messages;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @GET
    @Path("{key}")
    public TemplateInstance incident(@RestPath String key) {
        IncidentView incident = queries.get(key, true);
        return page(incident, ComposeForm.forUpdate(incident.options()), null, Map.of());
    }

    @GET
    @Path("{key}/watch")
    public TemplateInstance watch(@RestPath String key) {
        IncidentView incident = queries.get(key, true);
        return Templates.incident$watch(incident, watch.of(key), nextUpdate(incident));
    }

    @POST
    @Path("{key}/updates/preview")
    @Allowed(ConsoleRole.OPS)
    @WithFormRead
    public TemplateInstance previewUpdate(@RestPath String key, ServerRequestContext request,
            @HeaderParam("HX-Request") String htmx) {
        IncidentView incident = queries.get(key, true);
        ComposeForm form = ComposeForm.read(((ResteasyReactiveRequestContext) request).getFormData());
        ConsolePreview preview = previews.update(key, form, incident.options(), currentUser.actor());
        return htmx != null ? Templates.incident$updatePreview(preview) : page(incident, form, preview, Map.of());
    }

    @POST
    @Path("{key}/updates")
    @Allowed(ConsoleRole.OPS)
    @WithFormRead
    public Response saveUpdate(@RestPath String key, ServerRequestContext request) {
        IncidentView incident = queries.get(key, true);
        ComposeForm form = ComposeForm.read(((ResteasyReactiveRequestContext) request).getFormData());
        try {
            UpdateView draft = incidents.postUpdate(key,
                    commands.valid(form.update(clock.instant(), incident.options())), currentUser.actor());
            return Response.seeOther(URI.create("/console/incidents/" + key + "#draft-" + draft.seq())).build();
        } catch (ProblemException e) {
            return Response.status(e.status() == 409 ? 409 : 400)
                    .entity(page(incident, form, previews.update(key, form, incident.options(), currentUser.actor()),
                            ConsolePages.errors(e)))
                    .build();
        }
    }

    @POST
    @Path("{key}/updates/{seq}/publish")
    @Allowed(ConsoleRole.OPS)
    public Response publish(@RestPath String key, @RestPath int seq) {
        incidents.publishDraft(key, seq, currentUser.actor());
        return Response.seeOther(URI.create("/console/incidents/" + key + "#delivery")).build();
    }

    @POST
    @Path("{key}/pause")
    @Allowed(ConsoleRole.OPS)
    public Response pause(@RestPath String key) {
        incidents.setPaused(key, true, currentUser.actor());
        return Response.seeOther(URI.create("/console/incidents/" + key)).build();
    }

    @POST
    @Path("{key}/resume")
    @Allowed(ConsoleRole.OPS)
    public Response resume(@RestPath String key) {
        incidents.setPaused(key, false, currentUser.actor());
        return Response.seeOther(URI.create("/console/incidents/" + key)).build();
    }

    private TemplateInstance page(IncidentView incident, ComposeForm form, ConsolePreview preview,
            Map<String, String> errors) {
        List<Draft> drafts = incident.timeline().stream().filter(u -> u.status() == UpdateStatus.DRAFT)
                .map(u -> new Draft(u.seq(), previews.draft(incident.key(), u.seq()))).toList();
        return Templates.incident(incident, pages.timeline(incident), drafts, watch.of(incident.key()),
                nextUpdate(incident), form, preview == null ? ConsolePreview.invalid(Map.of("",
                        "Write what changed to see the messages.")) : preview,
                ConsoleChoices.of(IncidentState.values()), messages.locales(), choices.components(), ComposeForm.STATUSES,
                deadlines.of(incident.key()), errors);
    }

    private String nextUpdate(IncidentView incident) {
        if (incident.nextUpdateBy() == null || incident.state().closed()) {
            return null;
        }
        return ConsolePages.time(incident.nextUpdateBy()) + " ("
                + DeliveryWatch.timeLeft(incident.nextUpdateBy(), clock.instant()) + ")";
    }

}
