package io.incidentcomms.statuspage.manage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.incident.ComponentStatus;
import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.Incident;
import io.incidentcomms.incident.IncidentConfig;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Severity;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.problem.BeanValidation;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.statuspage.ComponentCatalog;
import io.incidentcomms.statuspage.ComponentStatuses;
import io.incidentcomms.statuspage.StatuspageFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Incidents written through the Statuspage-compatible API become our own: a create declares one, each
 * update posts one update with its status, impact, body and component statuses; the answers read as
 * Statuspage's. The page id is the one our public {@code /api/v2} answers name; component ids are
 * those it lists.
 */
@ApplicationScoped
public class StatuspageIncidents {

    /** The source incidents declared here are filed under. */
    static final String SOURCE = "statuspage-api";

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final ComponentCatalog catalog;
    private final ComponentStatuses statuses;
    private final MessageConfig messages;
    private final BeanValidation validation;
    private final IncidentConfig config;

    StatuspageIncidents(IncidentService incidents, IncidentQueries queries, ComponentCatalog catalog,
            ComponentStatuses statuses, MessageConfig messages, BeanValidation validation, IncidentConfig config) {
        this.config = config;
        this.incidents = incidents;
        this.queries = queries;
        this.catalog = catalog;
        this.statuses = statuses;
        this.messages = messages;
        this.validation = validation;
    }

    /** This service's page id, as {@code /api/v2/summary.json} gives it. */
    public String pageId() {
        return StatuspageFormat.id("page:" + messages.publicBaseUrl());
    }

    @Transactional
    public StatuspageIncident create(String pageId, StatuspageIncidentRequest.Fields fields, Actor actor) {
        requirePage(pageId);
        if (fields.name() == null || fields.name().isBlank()) {
            throw ProblemException.invalidField("incident.name", "must not be blank");
        }
        Map<String, String> scopesById = scopesById();
        Map<String, ComponentStatus> componentStatuses = componentStatuses(fields, scopesById);
        List<String> scopes = scopes(fields, componentStatuses, scopesById, List.of());
        if (scopes.isEmpty()) {
            throw ProblemException.invalidField("incident.component_ids",
                    "name the affected components (component_ids or components): customers are told by component");
        }
        boolean scheduled = fields.scheduledFor() != null || StatuspageWords.isScheduledStatus(fields.status());
        IncidentKind kind = scheduled ? IncidentKind.MAINTENANCE : IncidentKind.OUTAGE;
        String text = fields.body() == null || fields.body().isBlank() ? fields.name().trim() : fields.body().trim();
        IncidentState wanted = StatuspageWords.state(fields.status());
        // Statuspage lets an incident start in any status; ours start at the beginning. Then the
        // declaration is published quietly and customers get one message, in the status asked for
        boolean startsLater = wanted != null && wanted != IncidentState.initial(kind);
        DeclareIncident declaration = validation.requireValid(new DeclareIncident(LocalizedText.of(fields.name().trim()),
                kind, StatuspageWords.severity(fields.impactOverride(), componentStatuses.values()), scopes, null, null,
                scheduled ? fields.scheduledFor() : null, scheduled ? fields.scheduledUntil() : null,
                Map.of(defaultLocale(), text), null, null, null, null, null, null, null,
                startsLater ? Boolean.FALSE : fields.deliverNotifications(), false,
                componentStatuses.isEmpty() ? null : componentStatuses));
        IncidentView declared = incidents.declare(declaration, actor, SOURCE, null);
        if (startsLater) {
            incidents.postUpdate(declared.key(), new PostUpdate(wanted, null, null, Map.of(defaultLocale(), text), null,
                    null, null, null, null, null, null, fields.deliverNotifications(), false, null, null, null), actor);
        }
        keepMetadata(declared.key(), fields.metadata());
        return read(pageId, declared.key());
    }

    @Transactional
    public StatuspageIncident update(String pageId, String id, StatuspageIncidentRequest.Fields fields, Actor actor) {
        requirePage(pageId);
        IncidentView current = queries.get(id, true);
        Map<String, String> scopesById = scopesById();
        Map<String, ComponentStatus> componentStatuses = componentStatuses(fields, scopesById);
        List<String> scopes = scopes(fields, componentStatuses, scopesById, current.scopes());
        Severity severity = fields.impactOverride() != null
                ? StatuspageWords.severity(fields.impactOverride(), List.of())
                : impactOfOutages(componentStatuses);
        PostUpdate update = new PostUpdate(StatuspageWords.state(fields.status()),
                severity == current.severity() ? null : severity,
                scopes.equals(current.scopes()) ? null : scopes,
                fields.body() == null || fields.body().isBlank() ? null : Map.of(defaultLocale(), fields.body().trim()),
                null, null, null, null, null, null, null, fields.deliverNotifications(), false,
                current.kind().planned() ? fields.scheduledFor() : null,
                current.kind().planned() ? fields.scheduledUntil() : null,
                componentStatuses.isEmpty() ? null : componentStatuses);
        if (update.isMeaningful()) {
            incidents.postUpdate(id, validation.requireValid(update), actor);
        }
        keepMetadata(id, fields.metadata());
        return read(pageId, id);
    }

    @Transactional
    public StatuspageIncident get(String pageId, String id) {
        requirePage(pageId);
        return read(pageId, id);
    }

    /** Incidents newest first, a page of them ({@code page} from 1, as Statuspage counts). */
    @Transactional
    public List<StatuspageIncident> list(String pageId, int page, int limit) {
        requirePage(pageId);
        List<StatuspageIncident> found = new ArrayList<>();
        Answer answer = answer();
        queries.list(new IncidentQueries.ListFilter(null, null, null, null, null), Math.max(page, 1) - 1,
                Math.max(1, Math.min(limit, 100)), true).items().forEach(view -> found.add(of(view, true, answer)));
        return found;
    }

    private StatuspageIncident read(String pageId, String id) {
        return of(queries.get(id, true), true, answer());
    }

    /**
     * A public incident as the public may see it (customer-facing updates only, no metadata), in
     * Statuspage's shape: what subscribers' webhooks receive. Empty for an incident that is not public.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Optional<StatuspageIncident> publicIncident(String key) {
        return queries.publicView(key).map(view -> of(view, false, answer()));
    }

    /** The page's id and its overall status now, as Statuspage's webhooks name them. */
    public Map<String, String> page() {
        ComponentStatus overall = statuses.current().values().stream().reduce(ComponentStatus.OPERATIONAL,
                ComponentStatus::worse);
        StatuspageFormat.Status status = StatuspageFormat.status(overall);
        return Map.of("id", pageId(), "status_indicator", status.indicator(), "status_description", status.description());
    }

    /** What every incident of one answer shares, read once per answer: the page, the catalog, the components' statuses now. */
    private record Answer(String pageId, String locale, Map<String, ComponentCatalog.Entry> entries,
            Map<String, ComponentStatus> now) {
    }

    private Answer answer() {
        Map<String, ComponentCatalog.Entry> entries = new java.util.HashMap<>();
        catalog.list().forEach(entry -> entries.put(entry.scope(), entry));
        return new Answer(pageId(), defaultLocale(), entries, statuses.current());
    }

    private StatuspageIncident of(IncidentView view, boolean withMetadata, Answer answer) {
        String locale = answer.locale();
        List<StatuspageFormat.Component> components = new ArrayList<>();
        for (String scope : view.scopes()) {
            ComponentCatalog.Entry entry = answer.entries().get(scope);
            String name = entry == null ? scope : nameIn(entry.names(), locale, scope);
            components.add(new StatuspageFormat.Component(StatuspageFormat.id(scope), name,
                    answer.now().getOrDefault(scope, ComponentStatus.OPERATIONAL).wire(),
                    entry == null ? null : entry.createdAt(), entry == null ? null : entry.updatedAt(),
                    entry == null ? 0 : entry.position(), entry == null ? null : LocalizedText.in(entry.descriptions(), locale),
                    true, null, entry == null || entry.group() == null ? null : StatuspageFormat.id("group:" + entry.group()),
                    answer.pageId(), false, false, null));
        }
        List<UpdateView> timeline = view.timeline() == null ? List.of() : view.timeline();
        java.time.Instant created = timeline.isEmpty() ? view.startedAt() : timeline.get(0).createdAt();
        java.time.Instant monitoringAt = timeline.stream().filter(u -> u.stateTo() == IncidentState.MONITORING)
                .map(UpdateView::publishedAt).findFirst().orElse(null);
        boolean planned = view.kind().planned();
        return StatuspageIncident.of(view.key(), view.title(), StatuspageWords.status(view.kind(), view.state()),
                StatuspageWords.impact(view.kind(), view.severity()), created, view.updatedAt(), view.startedAt(),
                monitoringAt, view.resolvedAt(), messages.publicBaseUrl() + "/incidents/" + view.key(), answer.pageId(),
                StatuspageFormat.updates(view, locale), components, planned, planned ? view.startedAt() : null,
                planned ? view.expectedEndAt() : null, withMetadata ? metadataOf(view.key()) : Map.of());
    }

    /**
     * The impact the components' statuses call for, only when some component is down: an update
     * that sets components back to operational does not lower the incident's severity.
     */
    private static Severity impactOfOutages(Map<String, ComponentStatus> componentStatuses) {
        boolean down = componentStatuses.values().stream().anyMatch(s -> s == ComponentStatus.MAJOR_OUTAGE
                || s == ComponentStatus.PARTIAL_OUTAGE || s == ComponentStatus.DEGRADED_PERFORMANCE);
        return down ? StatuspageWords.severity(null, componentStatuses.values()) : null;
    }

    private Map<String, ComponentStatus> componentStatuses(StatuspageIncidentRequest.Fields fields,
            Map<String, String> scopesById) {
        Map<String, ComponentStatus> byScope = new LinkedHashMap<>();
        if (fields.components() != null) {
            fields.components().forEach((id, status) -> byScope.put(scopeOf(id, scopesById),
                    StatuspageWords.componentStatus(id, status)));
        }
        return byScope;
    }

    /** The incident's scopes: those named now added to those it had. */
    private static List<String> scopes(StatuspageIncidentRequest.Fields fields, Map<String, ComponentStatus> componentStatuses,
            Map<String, String> scopesById, List<String> had) {
        Set<String> scopes = new LinkedHashSet<>(had);
        if (fields.componentIds() != null) {
            fields.componentIds().forEach(id -> scopes.add(scopeOf(id, scopesById)));
        }
        scopes.addAll(componentStatuses.keySet());
        return new ArrayList<>(scopes);
    }

    private static String scopeOf(String componentId, Map<String, String> scopesById) {
        String scope = componentId == null ? null : scopesById.get(componentId);
        if (scope == null) {
            throw ProblemException.invalidField("incident.components",
                    "no component has the id " + componentId + "; the ids are those of /api/v2/components.json");
        }
        return scope;
    }

    private Map<String, String> scopesById() {
        Map<String, String> byId = new LinkedHashMap<>();
        catalog.list().forEach(entry -> byId.put(StatuspageFormat.id(entry.scope()), entry.scope()));
        return byId;
    }

    private static String nameIn(Map<String, String> names, String locale, String otherwise) {
        String name = LocalizedText.in(names, locale);
        return name != null ? name : names.values().stream().findFirst().orElse(otherwise);
    }

    /** Statuspage asks that every top-level value be an object; we keep it as given and answer it back. */
    private static void keepMetadata(String key, Map<String, Object> metadata) {
        if (metadata == null) {
            return;
        }
        metadata.forEach((name, value) -> {
            if (!(value instanceof Map<?, ?>)) {
                throw ProblemException.invalidField("incident.metadata." + name, "must be an object");
            }
        });
        Incident.findByKey(key).orElseThrow().metadata = new LinkedHashMap<>(metadata);
    }

    private static Map<String, Object> metadataOf(String key) {
        return Incident.findByKey(key).map(incident -> incident.metadata).orElse(Map.of());
    }

    private String defaultLocale() {
        return config.defaultLocale();
    }

    private void requirePage(String pageId) {
        if (!pageId().equals(pageId)) {
            throw ProblemException.notFound("Page " + pageId);
        }
    }
}
