package io.incidentcomms.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.events.OutboundEvents;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageReview;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.Page;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Owns the incident life cycle and its timeline. Publishing an update, recording that its audience
 * must be told, writing the bus event and the audit entry happen in one transaction.
 */
@ApplicationScoped
public class IncidentService {

    private final Clock clock;
    private final IncidentConfig config;
    private final NotificationIntents intents;
    private final OutboundEvents events;
    private final AuditLog audit;
    private final EntityManager em;
    private final MessageTemplates templates;
    private final MessageReview review;
    private final Event<UpdatePublished> published;
    private final DeliveryEstimates estimates;
    private final UpdateTexts texts;

    /** The source (and author) of updates the service publishes by itself. */
    public static final String CADENCE_SOURCE = "cadence";

    IncidentService(Clock clock, IncidentConfig config, NotificationIntents intents, OutboundEvents events,
            AuditLog audit, EntityManager em, MessageTemplates templates, MessageReview review,
            Event<UpdatePublished> published, DeliveryEstimates estimates, MessageConfig messages) {
        this.published = published;
        this.estimates = estimates;
        this.clock = clock;
        this.config = config;
        this.intents = intents;
        this.events = events;
        this.audit = audit;
        this.em = em;
        this.templates = templates;
        this.review = review;
        this.texts = new UpdateTexts(messages.locales());
    }

    @Transactional
    public IncidentView declare(DeclareIncident cmd, Actor actor, String source, String externalId) {
        Instant now = clock.instant();
        Map<String, String> explain = texts.explain(cmd.explain());
        String defaultLocale = texts.defaultLocale(cmd.defaultLocale(), explain, config.defaultLocale());
        Incident incident = new Incident();
        incident.key = nextKey(now);
        incident.titles = texts.title(cmd.title(), defaultLocale);
        incident.title = incident.titles.get(defaultLocale);
        incident.kind = cmd.kind();
        incident.severity = cmd.severity();
        incident.state = IncidentState.initial(cmd.kind());
        incident.scopes = distinct(cmd.scopes());
        incident.recipients = cmd.recipients() == null ? new ArrayList<>() : distinct(cmd.recipients());
        if (cmd.owner() != null) {
            incident.ownerName = cmd.owner().name();
            incident.ownerEmail = blankToNull(cmd.owner().email());
            incident.ownerPhone = blankToNull(cmd.owner().phone());
        }
        incident.startedAt = cmd.startedAt() == null ? now : cmd.startedAt();
        incident.expectedEndAt = cmd.expectedEndAt();
        if (incident.expectedEndAt != null && incident.expectedEndAt.isBefore(incident.startedAt)) {
            throw ProblemException.invalidField("expectedEndAt", "must not be before startedAt");
        }
        incident.source = source;
        incident.externalId = externalId;
        incident.createdAt = now;
        incident.updatedAt = now;
        incident.persist();

        IncidentUpdate first = newUpdate(incident, cmd, defaultLocale, actor, source, now);
        first.messageKind = MessageKind.forDeclaration(cmd.kind());
        requireGoodwillAllowed(first);
        first.persist();
        audit.record(actor, "incident.declare", incident.key, incident.title);
        events.record("incident.declared", incident.key, eventData(incident, null));
        DeliveryEstimates.Reach reach = Boolean.TRUE.equals(cmd.draft()) ? null : publish(incident, first, actor, now);
        return view(incident, true).withReview(review(incident, first, reach, cmd.nextUpdateBy(), cmd.expectedEndAt()));
    }

    @Transactional
    public UpdateView postUpdate(String key, PostUpdate cmd, Actor actor) {
        Incident incident = require(key);
        return postUpdate(incident, cmd, actor, sourceOf(actor));
    }

    @Transactional
    public UpdateView postUpdate(Incident incident, PostUpdate cmd, Actor actor, String source) {
        lockForUpdate(incident);
        Instant now = clock.instant();
        if (cmd.state() != null && cmd.state() != incident.state) {
            requireTransition(incident, cmd.state());
        }
        if (cmd.startsAt() != null || cmd.endsAt() != null) {
            reschedule(incident, cmd.startsAt(), cmd.endsAt(), now);
        }
        Map<String, String> explain = texts.explain(cmd.explain());
        String defaultLocale = texts.defaultLocale(cmd.defaultLocale(), explain, firstDefaultLocale(incident));
        IncidentUpdate update = newUpdate(incident, cmd, defaultLocale, actor, source, now);
        update.stateTo = cmd.state() == incident.state ? null : cmd.state();
        update.severity = cmd.severity();
        update.scopes = cmd.scopes() == null ? null : distinct(cmd.scopes());
        update.messageKind = MessageKind.forTransition(update.stateTo);
        requireGoodwillAllowed(update);
        update.persist();
        DeliveryEstimates.Reach reach = null;
        if (Boolean.TRUE.equals(cmd.draft())) {
            audit.record(actor, "update.draft", incident.key, "#" + update.seq);
        } else {
            reach = publish(incident, update, actor, now);
        }
        return IncidentViews.of(update, true)
                .withReview(review(incident, update, reach, cmd.nextUpdateBy(), incident.expectedEndAt));
    }

    /** A goodwill gesture ends an incident: it rides on a resolution, a completion or a follow-up. */
    private static void requireGoodwillAllowed(IncidentUpdate update) {
        if (update.goodwill != null && update.messageKind != MessageKind.RESOLVED
                && update.messageKind != MessageKind.MAINTENANCE_COMPLETED && update.messageKind != MessageKind.FOLLOW_UP) {
            throw ProblemException.invalidField("goodwill", "goes with the update that resolves or completes the incident");
        }
    }

    /** Updates default to the language the incident was declared in. */
    private String firstDefaultLocale(Incident incident) {
        IncidentUpdate first = IncidentUpdate.findBySeq(incident, 1).orElse(null);
        return first == null ? config.defaultLocale() : first.defaultLocale;
    }

    /** Planned work not started yet moves to a new start and/or end. */
    private static void reschedule(Incident incident, Instant startsAt, Instant endsAt, Instant now) {
        if (incident.state != IncidentState.SCHEDULED) {
            throw ProblemException.invalidField(startsAt != null ? "startsAt" : "endsAt",
                    "only planned work that has not started can be rescheduled");
        }
        if (startsAt != null) {
            if (!startsAt.isAfter(now)) {
                throw ProblemException.invalidField("startsAt", "must be in the future");
            }
            incident.startedAt = startsAt;
        }
        if (endsAt != null) {
            incident.expectedEndAt = endsAt;
        }
        if (incident.expectedEndAt != null && incident.expectedEndAt.isBefore(incident.startedAt)) {
            throw ProblemException.invalidField("endsAt", "must not be before the start");
        }
    }

    @Transactional
    public UpdateView publishDraft(String key, int seq, Actor actor) {
        Incident incident = requireForUpdate(key);
        IncidentUpdate update = IncidentUpdate.findBySeq(incident, seq)
                .orElseThrow(() -> ProblemException.notFound("Update #" + seq + " of " + key));
        if (update.status != UpdateStatus.DRAFT) {
            throw ProblemException.conflict("already-published", "Update #" + seq + " is already published");
        }
        if (update.stateTo != null && update.stateTo != incident.state) {
            requireTransition(incident, update.stateTo);
        } else if (update.stateTo == incident.state) {
            update.stateTo = null;
            update.messageKind = update.seq == 1 ? update.messageKind : MessageKind.UPDATE;
            requireGoodwillAllowed(update);
        }
        Instant given = update.nextUpdateBy;
        DeliveryEstimates.Reach reach = publish(incident, update, actor, clock.instant());
        return IncidentViews.of(update, true).withReview(review(incident, update, reach, given, incident.expectedEndAt));
    }

    /** What a draft would promise and say if published now, and how its messages come out for each group. */
    @Transactional
    public UpdateView preview(String key, int seq) {
        Incident incident = require(key);
        IncidentUpdate update = IncidentUpdate.findBySeq(incident, seq)
                .orElseThrow(() -> ProblemException.notFound("Update #" + seq + " of " + key));
        UpdateView view = IncidentViews.of(update, true);
        if (update.status != UpdateStatus.DRAFT) {
            return view;
        }
        DeliveryEstimates.Reach reach = estimates.reach(draftTarget(incident, update));
        Instant promise = draftPromise(incident, update, reach.estimate());
        view = new UpdateView(view.seq(), view.status(), view.messageKind(), incident.state, view.stateTo(),
                view.severity(), view.scopes(), view.explain(), view.explainSms(), view.defaultLocale(),
                view.acknowledge(), offered(incident, update),
                view.confirm(), view.goodwill(), promise, view.notifyCustomers(), view.author(), view.source(),
                view.createdAt(), null, null, null, null);
        return view.withReview(review.of(templates.current(), content(incident, update, promise), reach, update.explain,
                update.nextUpdateBy, incident.expectedEndAt));
    }

    /** Who a draft would reach with its severity and scopes. */
    private static AudienceTarget draftTarget(Incident incident, IncidentUpdate update) {
        Severity severity = update.severity == null ? incident.severity : update.severity;
        return new AudienceTarget(incident.id, incident.key, severity,
                List.copyOf(update.scopes == null ? incident.scopes : update.scopes), List.copyOf(incident.recipients));
    }

    /** The promise a draft would make if published now. */
    private Instant draftPromise(Incident incident, IncidentUpdate update, Duration estimate) {
        IncidentState after = update.stateTo == null ? incident.state : update.stateTo;
        Severity severity = update.severity == null ? incident.severity : update.severity;
        Instant now = clock.instant();
        return !update.notify || after.closed() ? null
                : after == IncidentState.SCHEDULED ? nextNotice(update.nextUpdateBy, incident, now)
                : keepable(promise(update.nextUpdateBy, severity, now), estimate, now);
    }

    /**
     * How the update's messages come out per locale and channel, for the audience counted (null:
     * not counted yet); {@code givenNextUpdate} is the time ops gave, if any.
     */
    private MessageReview.Review review(Incident incident, IncidentUpdate update, DeliveryEstimates.Reach reach,
            Instant givenNextUpdate, Instant expectedEndAt) {
        if (!update.notify) {
            return null;
        }
        DeliveryEstimates.Reach counted = reach != null ? reach : estimates.reach(draftTarget(incident, update));
        Instant promise = update.status == UpdateStatus.PUBLISHED ? update.nextUpdateBy
                : draftPromise(incident, update, counted.estimate());
        return review.of(templates.current(), content(incident, update, promise), counted, update.explain, givenNextUpdate,
                expectedEndAt);
    }

    @Transactional
    public IncidentView setPaused(String key, boolean paused, Actor actor) {
        Incident incident = require(key);
        if (incident.paused != paused) {
            incident.paused = paused;
            incident.updatedAt = clock.instant();
            audit.record(actor, paused ? "incident.pause" : "incident.resume", incident.key, null);
            events.record(paused ? "incident.paused" : "incident.resumed", incident.key, eventData(incident, null));
        }
        return view(incident, true);
    }

    @Transactional
    public boolean setGloballyPaused(boolean paused, Actor actor) {
        MessagingControl control = em.find(MessagingControl.class, 1, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (control.paused != paused) {
            control.paused = paused;
            control.changedAt = clock.instant();
            control.changedBy = actor.name();
            audit.record(actor, paused ? "messaging.pause" : "messaging.resume", "messaging", null);
        }
        return control.paused;
    }

    @Transactional
    public boolean globallyPaused() {
        return MessagingControl.get().paused;
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

    @Transactional
    public Optional<Incident> latestByExternalId(String source, String externalId) {
        return Incident.findLatestByExternalId(source, externalId);
    }

    /** What the audience needs to know about an incident to decide who to tell. */
    public record AudienceTarget(long incidentId, String key, Severity severity, List<String> scopes,
            List<String> recipients) {
    }

    @Transactional
    public AudienceTarget audienceTarget(String key) {
        return targetOf(require(key));
    }

    /** The audience target of the incident an update belongs to. */
    @Transactional
    public AudienceTarget audienceTargetOfUpdate(long updateId) {
        IncidentUpdate update = IncidentUpdate.findById(updateId);
        if (update == null) {
            throw new IllegalStateException("Update " + updateId + " does not exist");
        }
        return audienceTarget(update.incident.key);
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
        IncidentUpdate update = IncidentUpdate.findById(updateId);
        if (update == null) {
            throw new IllegalStateException("Update " + updateId + " does not exist");
        }
        return messageSource(update.incident, update);
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
                ? draftPromise(incident, update, estimates.reach(draftTarget(incident, update)).estimate())
                : update.nextUpdateBy;
        return new MessageSource(content(incident, update, promise), update.templateVersion, incident.severity);
    }

    /**
     * The options an update offers: its own, or, when it names none, the incident's open ones — but
     * none when it closes the incident (there is nothing left to work around).
     */
    private static List<MessageOption> offered(Incident incident, IncidentUpdate update) {
        if (!update.optionsCarried) {
            return new ArrayList<>(update.options);
        }
        return update.stateTo != null && update.stateTo.closed() ? new ArrayList<>() : new ArrayList<>(incident.options);
    }

    /** The message content of an update: a draft that names no options offers the incident's open ones. */
    private MessageRenderer.Content content(Incident incident, IncidentUpdate update, Instant promise) {
        long earlierOfKind = IncidentUpdate.count("incident = ?1 and seq < ?2 and status = ?3 and notify = true"
                + " and messageKind = ?4", incident, update.seq, UpdateStatus.PUBLISHED, update.messageKind);
        boolean ending = update.messageKind == MessageKind.RESOLVED || update.messageKind == MessageKind.MAINTENANCE_COMPLETED;
        Instant endedAt = update.publishedAt != null ? update.publishedAt : clock.instant();
        Duration lasted = ending && !incident.startedAt.isAfter(endedAt) ? Duration.between(incident.startedAt, endedAt) : null;
        List<MessageOption> options = update.status == UpdateStatus.DRAFT ? offered(incident, update) : update.options;
        IncidentState state = update.stateTo != null ? update.stateTo
                : update.status == UpdateStatus.PUBLISHED && update.stateFrom != null ? update.stateFrom : incident.state;
        return new MessageRenderer.Content(update.messageKind, incident.key, incident.titles, update.explain,
                update.explainSms, update.defaultLocale, update.acknowledge, List.copyOf(options), update.confirm, promise,
                (int) earlierOfKind, lasted, update.goodwill, Scopes.isPublic(incident.scopes), state.wire());
    }

    public record ListFilter(IncidentState state, Severity severity, String scope, Instant from, Instant to) {
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
        PanacheQuery<Incident> query = Incident.find(where.toString(),
                Sort.descending("startedAt").and("id", Sort.Direction.Descending), params);
        long total = query.count();
        List<IncidentView> items = query.page(page, size).list().stream().map(i -> IncidentViews.of(i, internal, null))
                .toList();
        return new Page<>(items, page, size, total);
    }

    Incident require(String key) {
        return Incident.findByKey(key).orElseThrow(() -> ProblemException.notFound("Incident " + key));
    }

    /** The incident, locked for this transaction: updates to one incident are numbered one after the other. */
    private Incident requireForUpdate(String key) {
        Incident incident = require(key);
        lockForUpdate(incident);
        return incident;
    }

    private void lockForUpdate(Incident incident) {
        if (em.getLockMode(incident) != jakarta.persistence.LockModeType.PESSIMISTIC_WRITE) {
            em.refresh(incident, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        }
    }

    /** Publishes an update ops wrote; returns its audience as counted, for the review of its messages. */
    private DeliveryEstimates.Reach publish(Incident incident, IncidentUpdate update, Actor actor, Instant now) {
        DeliveryEstimates.Reach[] counted = new DeliveryEstimates.Reach[1];
        publish(incident, update, actor, now, target -> {
            counted[0] = estimates.reach(target);
            return counted[0].estimate();
        });
        return counted[0];
    }

    /**
     * Publishes: the incident takes the update's state, severity, scopes and options (an update
     * that names none repeats the open ones), the update makes its promise, and the intent to
     * notify, the event and the audit entry are written in the same transaction.
     */
    private void publish(Incident incident, IncidentUpdate update, Actor actor, Instant now,
            java.util.function.Function<AudienceTarget, Duration> estimateToReach) {
        IncidentState before = incident.state;
        update.stateFrom = before;
        if (update.stateTo != null) {
            incident.state = update.stateTo;
            if (update.stateTo.closed()) {
                incident.resolvedAt = now;
            } else if (before.closed()) {
                incident.resolvedAt = null;
            }
        }
        if (update.severity != null) {
            incident.severity = update.severity;
        }
        if (update.scopes != null) {
            incident.scopes = new ArrayList<>(update.scopes);
        }
        update.options = offered(incident, update);
        incident.options = new ArrayList<>(update.options);
        incident.publicFacing = Scopes.isPublic(incident.scopes) && (incident.publicFacing || update.notify);
        boolean closed = incident.state.closed();
        Duration estimate = !update.notify ? Duration.ZERO : estimateToReach.apply(targetOf(incident));
        if (closed || incident.state == IncidentState.SCHEDULED) {
            estimate = Duration.ZERO;
        }
        update.nextUpdateBy = !update.notify || closed ? null
                : incident.state == IncidentState.SCHEDULED ? nextNotice(update.nextUpdateBy, incident, now)
                : keepable(promise(update.nextUpdateBy, incident.severity, now), estimate, now);
        if (update.notify) {
            incident.nextUpdateBy = update.nextUpdateBy;
        } else if (closed) {
            incident.nextUpdateBy = null;
        }
        update.status = UpdateStatus.PUBLISHED;
        update.publishedAt = now;
        update.templateVersion = templates.current().version();
        incident.updatedAt = now;
        if (update.notify) {
            intents.record(update);
        }
        audit.record(actor, "update.publish", incident.key, "#" + update.seq
                + (update.stateTo != null ? " " + before.wire() + " -> " + update.stateTo.wire() : "")
                + (update.notify ? "" : " (internal note)"));
        if (update.seq > 1) {
            String type = update.stateTo == null ? "incident.updated"
                    : update.stateTo == IncidentState.RESOLVED ? "incident.resolved" : "incident.state-changed";
            events.record(type, incident.key, eventData(incident, update));
        } else {
            events.record("incident.update-published", incident.key, eventData(incident, update));
        }
        em.flush();
        published.fire(new UpdatePublished(incident.id, incident.key, update.id, update.seq, update.messageKind,
                update.notify, incident.severity, incident.state, update.nextUpdateBy, update.source, now,
                incident.startedAt, estimate));
    }

    /**
     * An update the service publishes by itself: a holding update (no news; the last customer
     * message's facts and the open options again) or a follow-up after resolution (with the given
     * options, which replace the open ones). Returns the update's number.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int publishAutomatic(long incidentId, MessageKind kind, List<MessageOption> options) {
        return publishAutomatic(incidentId, kind, options, null);
    }

    /** An automatic update that also moves the incident (planned work starting on time). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int publishAutomatic(long incidentId, MessageKind kind, List<MessageOption> options, IncidentState stateTo) {
        Instant now = clock.instant();
        Incident incident = Incident.findById(incidentId);
        lockForUpdate(incident);
        IncidentUpdate last = IncidentUpdate.<IncidentUpdate>find(
                "incident = ?1 and status = ?2 and notify = true order by seq desc", incident, UpdateStatus.PUBLISHED)
                .firstResult();
        IncidentUpdate update = new IncidentUpdate();
        update.incident = incident;
        update.seq = IncidentUpdate.nextSeq(incident);
        update.status = UpdateStatus.DRAFT;
        update.messageKind = kind;
        if (stateTo != null && stateTo != incident.state) {
            requireTransition(incident, stateTo);
            update.stateTo = stateTo;
        }
        update.explain = last == null ? new LinkedHashMap<>() : new LinkedHashMap<>(last.explain);
        update.explainSms = last == null ? new LinkedHashMap<>() : new LinkedHashMap<>(last.explainSms);
        update.defaultLocale = last == null ? firstDefaultLocale(incident) : last.defaultLocale;
        update.optionsCarried = options == null;
        update.options = new ArrayList<>(options != null ? options : incident.options);
        // ops' question was about the options of their update: it only goes with the same ones
        update.confirm = options != null || last == null || !last.options.equals(incident.options) ? null : last.confirm;
        update.notify = true;
        update.author = CADENCE_SOURCE;
        update.source = CADENCE_SOURCE;
        update.createdAt = now;
        update.persist();
        publish(incident, update, new Actor(CADENCE_SOURCE), now, estimates::toReach);
        return update.seq;
    }

    /**
     * Never promise what cannot be kept: when reaching everyone at the senders' rates takes longer,
     * the promise moves to the delivery estimate plus a margin, rounded up to 5 minutes.
     */
    private Instant keepable(Instant promise, Duration estimate, Instant now) {
        if (estimate.isZero() || now.plus(estimate).isBefore(promise)) {
            return promise;
        }
        return roundUpTo5Minutes(now.plus(estimate).plus(config.promiseMargin()));
    }

    private static AudienceTarget targetOf(Incident incident) {
        return new AudienceTarget(incident.id, incident.key, incident.severity, List.copyOf(incident.scopes),
                List.copyOf(incident.recipients));
    }

    /** Planned work not started promises its next advance notice (or its start), unless ops gave a time. */
    private Instant nextNotice(Instant given, Incident incident, Instant now) {
        if (given != null) {
            return given;
        }
        return config.maintenanceNotices().stream().map(before -> incident.startedAt.minus(before))
                .filter(at -> at.isAfter(now.plus(NOTICE_MARGIN))).min(Instant::compareTo)
                .orElse(incident.startedAt.isAfter(now) ? incident.startedAt : null);
    }

    /** An advance notice this close to now is the message going out now. */
    public static final Duration NOTICE_MARGIN = Duration.ofMinutes(1);

    /** The time ops gave, or now plus the severity's interval, rounded up to the next 5 minutes. */
    private Instant promise(Instant given, Severity severity, Instant now) {
        if (given != null) {
            return given;
        }
        return roundUpTo5Minutes(now.plus(config.nextUpdate().forSeverity(severity)));
    }

    private static Instant roundUpTo5Minutes(Instant due) {
        Instant floored = due.truncatedTo(ChronoUnit.MINUTES);
        long minute = floored.atZone(ZoneOffset.UTC).getMinute();
        Instant rounded = floored.minus(Duration.ofMinutes(minute % 5));
        return rounded.equals(due) ? due : rounded.plus(Duration.ofMinutes(5));
    }

    private IncidentUpdate newUpdate(Incident incident, MessageParts.Input parts, String defaultLocale, Actor actor,
            String source, Instant now) {
        IncidentUpdate update = new IncidentUpdate();
        update.incident = incident;
        update.seq = IncidentUpdate.nextSeq(incident);
        update.status = UpdateStatus.DRAFT;
        update.defaultLocale = defaultLocale;
        update.explain = texts.explain(parts.explain());
        update.explainSms = texts.explainSms(parts.explainSms());
        update.acknowledge = texts.acknowledge(parts.acknowledge(), defaultLocale);
        update.confirm = texts.confirm(parts.confirm(), defaultLocale);
        update.goodwill = texts.goodwill(parts.goodwill(), defaultLocale);
        update.optionsCarried = parts.options() == null;
        update.options = update.optionsCarried ? new ArrayList<>(incident.options)
                : texts.options(parts.options(), defaultLocale);
        if (update.optionsCarried) {
            requireLabelsIn(update.options, defaultLocale);
        } else {
            requireCodesKeepTheirMeaning(incident, update.options);
        }
        update.nextUpdateBy = parts.nextUpdateBy();
        if (update.nextUpdateBy != null && !update.nextUpdateBy.isAfter(now)) {
            throw ProblemException.invalidField("nextUpdateBy", "must be in the future");
        }
        update.notify = parts.notifyCustomers() == null || parts.notifyCustomers();
        update.author = actor.name();
        update.source = source;
        update.createdAt = now;
        return update;
    }

    /** An update in another language than the options it repeats must bring them in its language too. */
    private static void requireLabelsIn(List<MessageOption> carried, String defaultLocale) {
        for (MessageOption option : carried) {
            if (option.labelIn(defaultLocale) == null) {
                throw ProblemException.invalidField("options", "the open option " + option.code() + " has no label in "
                        + defaultLocale + ", this update's default locale: give the options again with labels in "
                        + defaultLocale + ", or write the update in the options' language");
            }
        }
    }

    /**
     * A code keeps its meaning within an incident: a late reply "1" must not answer a different
     * question than the one its sender read.
     */
    private static void requireCodesKeepTheirMeaning(Incident incident, List<MessageOption> options) {
        Map<String, Map<String, String>> earlier = new HashMap<>();
        for (IncidentUpdate previous : IncidentUpdate.timeline(incident)) {
            if (previous.status == UpdateStatus.PUBLISHED) {
                previous.options.forEach(o -> earlier.put(o.code(), o.label()));
            }
        }
        for (int i = 0; i < options.size(); i++) {
            MessageOption option = options.get(i);
            Map<String, String> before = earlier.get(option.code());
            if (before != null && before.entrySet().stream().anyMatch(e -> {
                String now = option.labelIn(e.getKey());
                return now != null && !now.equals(e.getValue());
            })) {
                throw ProblemException.invalidField("options[" + i + "].code", "code " + option.code()
                        + " meant something else earlier in this incident; give this option a new code");
            }
        }
    }

    private void requireTransition(Incident incident, IncidentState target) {
        boolean sameLifeCycle = incident.kind.planned() == (target == IncidentState.SCHEDULED
                || target == IncidentState.IN_PROGRESS || target == IncidentState.COMPLETED
                || target == IncidentState.CANCELLED);
        if (!sameLifeCycle || !incident.state.canMoveTo(target)) {
            throw ProblemException.conflict("invalid-transition", "Incident " + incident.key + " cannot move from "
                    + incident.state.wire() + " to " + target.wire());
        }
    }

    private String nextKey(Instant now) {
        long number = ((Number) em.createNativeQuery("select nextval('incident_number_seq')").getSingleResult())
                .longValue();
        return "%s-%d-%04d".formatted(config.keyPrefix(), now.atZone(ZoneOffset.UTC).getYear(), number);
    }

    private IncidentView view(Incident incident, boolean internal) {
        List<UpdateView> timeline = IncidentUpdate.timeline(incident).stream()
                .filter(u -> internal || (u.status == UpdateStatus.PUBLISHED && u.notify))
                .map(u -> IncidentViews.of(u, internal))
                .toList();
        return IncidentViews.of(incident, internal, timeline);
    }

    private static Map<String, Object> eventData(Incident incident, IncidentUpdate update) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("incident", IncidentViews.of(incident, true, null));
        if (update != null) {
            data.put("update", IncidentViews.of(update, true));
        }
        return data;
    }

    private static String sourceOf(Actor actor) {
        return actor.name().startsWith("source:") ? actor.name().substring("source:".length()) : "api";
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(values.stream().map(String::trim).toList()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
