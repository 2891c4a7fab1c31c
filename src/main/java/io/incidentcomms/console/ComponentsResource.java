package io.incidentcomms.console;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.incidentcomms.console.signin.Allowed;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.statuspage.ComponentCatalog;
import io.incidentcomms.statuspage.ComponentStatuses;
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
 * The status page's catalog: components with their names per language, group and order, their
 * status now and its changes over the last 90 days; ops add, edit and remove them.
 */
@Path("/console/components")
@PermitAll
@ConsoleForms
@Produces(MediaType.TEXT_HTML)
public class ComponentsResource {

    static final Duration HISTORY = Duration.ofDays(90);

    /** A component as the list shows it. */
    public record Row(String scope, String name, String group, int position, String status) {
    }

    /** One change of a component's status. */
    public record StatusChange(String since, String status) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance components(List<Row> components, List<String> locales, Map<String, String> filled,
                Map<String, String> errors);

        static native TemplateInstance component(Row component, ComponentCatalog.Entry entry, List<String> locales,
                List<StatusChange> history, Map<String, String> errors);
    }

    private final ComponentCatalog catalog;
    private final ComponentStatuses statuses;
    private final MessageConfig messages;
    private final Clock clock;

    ComponentsResource(ComponentCatalog catalog, ComponentStatuses statuses, MessageConfig messages, Clock clock) {
        this.catalog = catalog;
        this.statuses = statuses;
        this.messages = messages;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list() {
        return Templates.components(rows(), messages.locales(), Map.of(), Map.of());
    }

    @GET
    @Path("one")
    public TemplateInstance one(@RestQuery String scope) {
        ComponentCatalog.Entry entry = catalog.get(scope == null ? "" : scope);
        return page(entry, Map.of());
    }

    @POST
    @Allowed(ConsoleRole.OPS)
    @WithFormRead
    public Response save(ServerRequestContext request) {
        Map<String, String> fields = LocaleFields.fields(((ResteasyReactiveRequestContext) request).getFormData());
        String scope = fields.getOrDefault("scope", "").trim();
        try {
            Integer position;
            try {
                String given = fields.getOrDefault("position", "").trim();
                position = given.isEmpty() ? null : Integer.valueOf(given);
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("position", "must be a whole number");
            }
            catalog.put(scope, LocaleFields.texts(fields, "name."), LocaleFields.texts(fields, "description."),
                    fields.get("group"), position);
            return Response.seeOther(URI.create("/console/components")).build();
        } catch (ProblemException e) {
            if (fields.containsKey("existing")) {
                return Response.status(e.status()).entity(page(catalog.get(scope), ConsolePages.errors(e))).build();
            }
            return Response.status(e.status())
                    .entity(Templates.components(rows(), messages.locales(), fields, ConsolePages.errors(e))).build();
        }
    }

    @POST
    @Path("remove")
    @Allowed(ConsoleRole.OPS)
    public Response remove(@RestForm String scope) {
        catalog.delete(scope == null ? "" : scope);
        return Response.seeOther(URI.create("/console/components")).build();
    }

    private TemplateInstance page(ComponentCatalog.Entry entry, Map<String, String> errors) {
        Map<String, ComponentStatus> now = statuses.current();
        List<StatusChange> history = new ArrayList<>();
        for (ComponentStatuses.Change change : statuses.history(clock.instant().minus(HISTORY))
                .getOrDefault(entry.scope(), List.of())) {
            history.add(new StatusChange(ConsolePages.time(change.since()), words(change.status())));
        }
        java.util.Collections.reverse(history);
        return Templates.component(row(entry, now), entry, messages.locales(), history, errors);
    }

    private List<Row> rows() {
        Map<String, ComponentStatus> now = statuses.current();
        return catalog.list().stream().map(e -> row(e, now)).toList();
    }

    private static Row row(ComponentCatalog.Entry e, Map<String, ComponentStatus> now) {
        String name = LocalizedText.in(e.names(), "en");
        return new Row(e.scope(), name != null ? name : e.names().values().stream().findFirst().orElse(e.scope()), e.group(),
                e.position(), words(now.getOrDefault(e.scope(), ComponentStatus.OPERATIONAL)));
    }

    static String words(ComponentStatus status) {
        return status.wire().replace('_', ' ');
    }
}
