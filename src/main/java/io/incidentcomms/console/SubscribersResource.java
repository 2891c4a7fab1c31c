package io.incidentcomms.console;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.SubscriberExport;
import io.incidentcomms.audience.SubscriberImport;
import io.incidentcomms.audience.SubscriberService;
import io.incidentcomms.audience.SubscriberViews;
import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.CurrentUser;
import io.incidentcomms.delivery.DeliveryLog;
import io.incidentcomms.feedback.FeedbackSummary;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.incidentcomms.platform.problem.BodySizeLimit;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.qute.TemplateInstance;
import io.incidentcomms.console.signin.ConsoleForms;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Subscribers for support and ops: found by reference with their contact data masked, what each
 * was sent and answered; a file imported in the background (its progress, then its row errors),
 * everyone exported, one erased.
 */
@Path("/console/subscribers")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class SubscribersResource {

    static final int FOUND = 25;
    static final int HISTORY = 50;

    /** A subscriber as support sees them: contact data masked. */
    public record Found(String ref, String name, String locale, String timeZone, List<String> contacts,
            List<String> subscriptions) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance subscribers(String q, List<Found> found, String error, String uploadLimit);

        static native TemplateInstance importJob(SubscriberImportJobs.ImportJob job);

        static native TemplateInstance subscriber(Found subscriber, List<DeliveryLog.SubscriberMessage> messages,
                List<FeedbackSummary.SubscriberAnswer> answers, String error);
    }

    private final SubscriberService subscribers;
    private final SubscriberImportJobs importJobs;
    private final ConsolePages pages;
    private final String uploadLimit;
    private final SubscriberExport export;
    private final DeliveryLog log;
    private final FeedbackSummary feedback;
    private final CurrentUser currentUser;

    SubscribersResource(SubscriberService subscribers, SubscriberImportJobs importJobs, SubscriberExport export,
            DeliveryLog log, FeedbackSummary feedback, CurrentUser currentUser, ConsolePages pages,
            @ConfigProperty(name = BodySizeLimit.UPLOAD_LIMIT, defaultValue = BodySizeLimit.UPLOAD_LIMIT_DEFAULT) MemorySize uploadLimit) {
        this.uploadLimit = (uploadLimit.asLongValue() >> 20) + " MiB";
        this.subscribers = subscribers;
        this.importJobs = importJobs;
        this.pages = pages;
        this.export = export;
        this.log = log;
        this.feedback = feedback;
        this.currentUser = currentUser;
    }

    @GET
    public TemplateInstance search(@RestQuery String q) {
        String prefix = q == null ? "" : q.trim();
        List<Found> found = prefix.isEmpty() ? List.of()
                : subscribers.search(prefix, FOUND).stream().map(SubscribersResource::masked).toList();
        return Templates.subscribers(prefix, found, null, uploadLimit);
    }

    @GET
    @Path("one")
    public TemplateInstance one(@RestQuery String ref) {
        return page(ref, null);
    }

    @POST
    @Path("erase")
    @Allowed(ConsoleRole.OPS)
    public Response erase(@RestForm String ref, @RestForm String confirm) {
        if (ref == null || !ref.equals(confirm)) {
            return Response.status(400).entity(page(ref, "Type the reference " + ref + " to confirm the erasure.")).build();
        }
        subscribers.erase(ref, currentUser.actor());
        return Response.seeOther(URI.create("/console/subscribers?erased")).build();
    }

    @POST
    @Path("import")
    @Allowed(ConsoleRole.OPS)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") FileUpload file) {
        if (file == null || file.size() == 0) {
            return Response.status(400).entity(Templates.subscribers("", List.of(), "Choose a file to import.", uploadLimit)).build();
        }
        String name = file.fileName() == null ? "" : file.fileName().toLowerCase(Locale.ROOT);
        SubscriberImport.Format format = name.endsWith(".csv") ? SubscriberImport.Format.CSV
                : SubscriberImport.Format.JSON_LINES;
        UUID id = importJobs.start(file.uploadedFile(), file.fileName(), format, currentUser.username());
        return Response.seeOther(URI.create("/console/subscribers/import?id=" + id)).build();
    }

    /** An import's page: its progress while it runs (refreshed), its report when it ends. */
    @GET
    @Path("import")
    @Allowed(ConsoleRole.OPS)
    public Response importPage(@RestQuery String id) {
        Optional<SubscriberImportJobs.ImportJob> job = parse(id).flatMap(importJobs::find);
        if (job.isEmpty()) {
            return pages.refusal(404, "Not found", "There is no import with this id; imports are kept for a week.");
        }
        return Response.ok(Templates.importJob(job.get())).build();
    }

    private static Optional<UUID> parse(String id) {
        try {
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @GET
    @Path("export")
    @Allowed(ConsoleRole.OPS)
    @Produces("application/x-ndjson")
    public Response exportAll() {
        StreamingOutput body = export::write;
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"subscribers.jsonl\"").build();
    }

    private TemplateInstance page(String ref, String error) {
        SubscriberViews.SubscriberView view = subscribers.get(ref == null ? "" : ref);
        return Templates.subscriber(masked(view), log.ofSubscriber(view.externalRef(), HISTORY),
                feedback.answersOf(view.externalRef(), HISTORY), error);
    }

    static Found masked(SubscriberViews.SubscriberView s) {
        List<String> contacts = s.contactPoints() == null ? List.of() : s.contactPoints().stream()
                .map(c -> c.channel().wire() + " " + Masking.address(c.channel(), c.address())
                        + (c.optedOutAt() != null ? " (opted out)" : c.bouncedAt() != null ? " (bounced)" : ""))
                .toList();
        return new Found(s.externalRef(), s.name(), s.locale(), s.timeZone(), contacts,
                s.subscriptions() == null ? List.of() : s.subscriptions());
    }
}
