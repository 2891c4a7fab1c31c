package io.incidentcomms.console;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.cadence.UpcomingDeadlines;
import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.delivery.ChannelHolds;
import io.incidentcomms.delivery.QueueDepth;
import io.incidentcomms.delivery.SenderPacing;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentService;
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

/**
 * Everything going out at once: what waits per channel, held channels, the deadlines that fire
 * next; and the controls that act on all of it (the kill switch, resuming a held channel), each
 * saying what it affects before it acts.
 */
@Path("/console/delivery")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class ControlsResource {

    static final int DEADLINES_SHOWN = 15;

    /** A channel: whether it is held and why, its rate, and what waits on it. */
    public record ChannelView(String channel, boolean held, String heldSince, String heldReason, String pausedUntil,
            double ratePerSecond, long waiting, long incidents) {
    }

    public record DeadlineView(String incidentKey, String incidentTitle, String kind, String dueAt, String left,
            int attempts) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance delivery(boolean paused, List<ChannelView> channels, long waiting, long incidents,
                List<DeadlineView> deadlines, String error);
    }

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final ChannelHolds holds;
    private final QueueDepth queue;
    private final UpcomingDeadlines deadlines;
    private final CurrentUser currentUser;
    private final Clock clock;

    ControlsResource(IncidentService incidents, IncidentQueries queries, ChannelHolds holds, QueueDepth queue,
            UpcomingDeadlines deadlines, CurrentUser currentUser, Clock clock) {
        this.incidents = incidents;
        this.queries = queries;
        this.holds = holds;
        this.queue = queue;
        this.deadlines = deadlines;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @GET
    public TemplateInstance overview() {
        return page(null);
    }

    @POST
    @Path("pause")
    @Allowed(ConsoleRole.OPS)
    public Response pauseAll(@RestForm String confirm) {
        if (!"stop".equals(confirm)) {
            return Response.status(400).entity(page("Tick the box that says what pausing stops, then pause.")).build();
        }
        incidents.setGloballyPaused(true, currentUser.actor());
        return Response.seeOther(URI.create("/console/delivery")).build();
    }

    @POST
    @Path("resume")
    @Allowed(ConsoleRole.OPS)
    public Response resumeAll() {
        incidents.setGloballyPaused(false, currentUser.actor());
        return Response.seeOther(URI.create("/console/delivery")).build();
    }

    @POST
    @Path("channels/{channel}/resume")
    @Allowed(ConsoleRole.OPS)
    public Response resumeChannel(@RestPath String channel) {
        Channel chosen = ConsoleChoices.parse(Channel.class, channel);
        if (chosen == null) {
            return Response.status(404).entity(page("There is no channel " + channel + ".")).build();
        }
        holds.resume(chosen, currentUser.actor());
        return Response.seeOther(URI.create("/console/delivery")).build();
    }

    private TemplateInstance page(String error) {
        List<QueueDepth.Waiting> waiting = queue.waiting();
        List<ChannelView> channels = holds.states().stream().map(state -> {
            QueueDepth.Waiting w = waiting.stream().filter(x -> x.channel().equals(state.channel().wire())).findFirst()
                    .orElse(new QueueDepth.Waiting(state.channel().wire(), 0, 0));
            return view(state, w);
        }).toList();
        long total = waiting.stream().mapToLong(QueueDepth.Waiting::notifications).sum();
        long onIncidents = waiting.stream().mapToLong(QueueDepth.Waiting::incidents).max().orElse(0);
        List<DeadlineView> next = deadlines.next(DEADLINES_SHOWN).stream()
                .map(d -> new DeadlineView(d.incidentKey(), d.incidentTitle(), d.kind(), ConsolePages.time(d.dueAt()),
                        DeliveryWatch.timeLeft(d.dueAt(), clock.instant()), d.attempts()))
                .toList();
        return Templates.delivery(queries.globallyPaused(), channels, total, onIncidents, next, error);
    }

    private static ChannelView view(SenderPacing.SenderState state, QueueDepth.Waiting waiting) {
        return new ChannelView(state.channel().wire(), state.held(),
                ConsolePages.time(state.heldSince()), state.heldReason(),
                ConsolePages.time(state.pausedUntil()),
                state.ratePerSecond(), waiting.notifications(), waiting.incidents());
    }
}
