package io.incidentcomms.incident;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.Page;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Reads incidents: as ops and as the public see them, lists, whom an incident is for, and what a
 * message about one of its updates is made of.
 */
@ApplicationScoped
public class IncidentQueries {

    private final PromisePolicy promises;
    private final UpdateContent content;
    private final DeliveryEstimates estimates;

    IncidentQueries(PromisePolicy promises, UpdateContent content, DeliveryEstimates estimates) {
        this.promises = promises;
        this.content = content;
        this.estimates = estimates;
    }

    /** An incident as ops see it, or as the public does (404 unless it is public). */
    @Transactional
    public IncidentView get(String key, boolean internal) {
        Incident incident = require(key);
        if (!internal && !incident.publicFacing) {
            throw ProblemException.notFound("Incident " + key);
        }
        return view(incident, internal);
    }

    /**
     * An incident as the public sees it: only a public one (not only about single accounts) with
     * at least one published customer-facing update, and only those updates.
     */
    @Transactional
    public Optional<IncidentView> publicView(String key) {
        return Incident.findByKey(key).filter(i -> i.publicFacing).map(i -> view(i, false));
    }

    /**
     * Public incidents as the public sees them (customer-facing updates only), newest first: every
     * open one, and the latest closed ones up to {@code closed}.
     */
    @Transactional
    public List<IncidentView> publicIncidents(int closed) {
        List<IncidentState> done = List.of(IncidentState.RESOLVED, IncidentState.COMPLETED, IncidentState.CANCELLED);
        List<IncidentView> views = new java.util.ArrayList<>();
        Incident.<Incident>list("publicFacing = true and state not in ?1 order by startedAt desc, id desc", done)
                .forEach(i -> views.add(view(i, false)));
        Incident.<Incident>find("publicFacing = true and state in ?1 order by startedAt desc, id desc", done)
                .page(0, closed).list().forEach(i -> views.add(view(i, false)));
        return views;
    }

    /** A page of closed public incidents, newest first (the status page's history). */
    @Transactional
    public Page<IncidentView> publicHistory(int page, int size) {
        var query = Incident.<Incident>find("publicFacing = true and state in ?1 order by startedAt desc, id desc",
                List.of(IncidentState.RESOLVED, IncidentState.COMPLETED, IncidentState.CANCELLED));
        return new Page<>(query.page(page, size).list().stream().map(i -> view(i, false)).toList(), page, size,
                query.count());
    }

    @Transactional
    public Optional<Incident> latestByExternalId(String source, String externalId) {
        return Incident.findLatestByExternalId(source, externalId);
    }

    /** What the audience needs to know about an incident to decide who to tell. */
    public record AudienceTarget(long incidentId, String key, Severity severity, List<String> scopes,
            List<String> recipients) {

        static AudienceTarget of(Incident incident) {
            return new AudienceTarget(incident.id, incident.key, incident.severity, List.copyOf(incident.scopes),
                    List.copyOf(incident.recipients));
        }

        /** Who a draft would reach with its severity and scopes. */
        static AudienceTarget ofDraft(Incident incident, IncidentUpdate update) {
            Severity severity = update.severity == null ? incident.severity : update.severity;
            return new AudienceTarget(incident.id, incident.key, severity,
                    List.copyOf(update.scopes == null ? incident.scopes : update.scopes), List.copyOf(incident.recipients));
        }
    }

    @Transactional
    public AudienceTarget audienceTarget(String key) {
        return AudienceTarget.of(require(key));
    }

    /** The audience target of the incident an update belongs to. */
    @Transactional
    public AudienceTarget audienceTargetOfUpdate(long updateId) {
        return audienceTarget(update(updateId).incident.key);
    }

    /** The title of an incident by its id, per locale, for pages that name it. */
    @Transactional
    public Optional<Map<String, String>> titlesOf(long incidentId) {
        return Incident.<Incident>findByIdOptional(incidentId).map(i -> Map.copyOf(i.titles));
    }

    /** What a customer message about one update is made of, for rendering. */
    public record MessageSource(MessageRenderer.Content content, String templateVersion, Severity severity) {

        public MessageKind kind() {
            return content.kind();
        }

        public Instant nextUpdateBy() {
            return content.nextUpdateBy();
        }
    }

    /** The message an update makes, by the update's id (for delivery). */
    @Transactional
    public MessageSource messageSourceOfUpdate(long updateId) {
        IncidentUpdate update = update(updateId);
        return messageSource(update.incident, update);
    }

    /** An update delivery refers to by id: it exists, or delivery holds a dangling reference. */
    private static IncidentUpdate update(long updateId) {
        IncidentUpdate update = IncidentUpdate.findById(updateId);
        if (update == null) {
            throw new IllegalStateException("Update " + updateId + " does not exist");
        }
        return update;
    }

    /** The latest published customer-facing update, or the update {@code seq} (a draft too). */
    @Transactional
    public MessageSource messageSource(String key, Integer seq) {
        Incident incident = require(key);
        IncidentUpdate update = seq != null
                ? IncidentUpdate.findBySeq(incident, seq)
                        .orElseThrow(() -> ProblemException.notFound("Update #" + seq + " of " + key))
                : IncidentUpdate.<IncidentUpdate>find("incident = ?1 and status = ?2 and notify = true order by seq desc",
                        incident, UpdateStatus.PUBLISHED).firstResultOptional()
                        .orElseThrow(() -> ProblemException.notFound("A published update of " + key));
        return messageSource(incident, update);
    }

    private MessageSource messageSource(Incident incident, IncidentUpdate update) {
        Instant promise = update.status == UpdateStatus.DRAFT
                ? promises.draftPromise(incident, update, estimates.reach(AudienceTarget.ofDraft(incident, update)).estimate())
                : update.nextUpdateBy;
        return new MessageSource(content.of(incident, update, promise), update.templateVersion, incident.severity);
    }

    /** Which incidents to list; {@code text} matches the key or title, {@code openFirst} lists open ones before closed ones. */
    public record ListFilter(IncidentState state, Severity severity, String scope, Instant from, Instant to, String text,
            boolean openFirst) {
        public ListFilter(IncidentState state, Severity severity, String scope, Instant from, Instant to) {
            this(state, severity, scope, from, to, null, false);
        }
    }

    @Transactional
    public Page<IncidentView> list(ListFilter filter, int page, int size, boolean internal) {
        StringBuilder where = new StringBuilder(internal ? "1 = 1" : "publicFacing = true");
        Map<String, Object> params = new HashMap<>();
        if (filter.state() != null) {
            where.append(" and state = :state");
            params.put("state", filter.state());
        }
        if (filter.severity() != null) {
            where.append(" and severity = :severity");
            params.put("severity", filter.severity());
        }
        if (filter.scope() != null) {
            where.append(" and array_contains(scopes, :scope)");
            params.put("scope", filter.scope());
        }
        if (filter.from() != null) {
            where.append(" and startedAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            where.append(" and startedAt < :to");
            params.put("to", filter.to());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            where.append(" and (lower(key) like :text or lower(title) like :text)");
            params.put("text", "%" + filter.text().trim().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        long total = Incident.count(where.toString(), params);
        PanacheQuery<Incident> query;
        if (filter.openFirst()) {
            params.put("closed", java.util.Arrays.stream(IncidentState.values()).filter(IncidentState::closed).toList());
            query = Incident.find(where + " order by case when state in (:closed) then 1 else 0 end, startedAt desc, id desc",
                    params);
        } else {
            query = Incident.find(where.toString(), Sort.descending("startedAt").and("id", Sort.Direction.Descending), params);
        }
        List<IncidentView> items = query.page(page, size).list().stream().map(i -> IncidentViews.of(i, internal, null))
                .toList();
        return new Page<>(items, page, size, total);
    }

    /** The incident, or a 404. */
    Incident require(String key) {
        return Incident.findByKey(key).orElseThrow(() -> ProblemException.notFound("Incident " + key));
    }

    @Transactional
    public boolean globallyPaused() {
        return MessagingControl.get().paused;
    }

    IncidentView view(Incident incident, boolean internal) {
        List<UpdateView> timeline = IncidentUpdate.timeline(incident).stream()
                .filter(u -> internal || (u.status == UpdateStatus.PUBLISHED && u.notify))
                .map(u -> IncidentViews.of(u, internal))
                .toList();
        return IncidentViews.of(incident, internal, timeline);
    }
}
