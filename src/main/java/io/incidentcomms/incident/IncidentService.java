package io.incidentcomms.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.events.OutboundEvents;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.message.MessageReview;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Changes incidents: declares them, posts, publishes and previews updates, pauses messaging.
 * Publishing an update, recording that its audience must be told, writing the bus event and the
 * audit entry happen in one transaction. Reading is {@link IncidentQueries}' job; when an update
 * promises the next one, {@link PromisePolicy}'s.
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
    private final IncidentQueries queries;
    private final PromisePolicy promises;
    private final UpdateContent content;

    /** The source (and author) of updates the service publishes by itself. */
    public static final String CADENCE_SOURCE = "cadence";

    IncidentService(Clock clock, IncidentConfig config, NotificationIntents intents, OutboundEvents events,
            AuditLog audit, EntityManager em, MessageTemplates templates, MessageReview review,
            Event<UpdatePublished> published, DeliveryEstimates estimates, MessageConfig messages, IncidentQueries queries,
            PromisePolicy promises, UpdateContent content) {
        this.queries = queries;
        this.promises = promises;
        this.content = content;
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
        return declare(cmd, actor, source, externalId, nextKey(clock.instant()));
    }

    /** Declares under a given key: {@link DraftPreviews} uses one of its own, since a preview must not use up a number. */
    @Transactional(Transactional.TxType.MANDATORY)
    IncidentView declare(DeclareIncident cmd, Actor actor, String source, String externalId, String key) {
        Instant now = clock.instant();
        Map<String, String> explain = texts.explain(cmd.explain());
        String defaultLocale = texts.defaultLocale(cmd.defaultLocale(), explain, config.defaultLocale());
        Incident incident = new Incident();
        incident.key = key;
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
        first.componentStatuses = wire(cmd.componentStatuses());
        UpdateRules.requireGoodwillAllowed(first);
        first.persist();
        audit.record(actor, "incident.declare", incident.key, incident.title);
        events.record("incident.declared", incident.key, eventData(incident, null));
        DeliveryEstimates.Reach reach = Boolean.TRUE.equals(cmd.draft()) ? null : publish(incident, first, actor, now);
        return queries.view(incident, true).withReview(review(incident, first, reach, cmd.nextUpdateBy(), cmd.expectedEndAt()));
    }

    @Transactional
    public UpdateView postUpdate(String key, PostUpdate cmd, Actor actor) {
        Incident incident = queries.require(key);
        return postUpdate(incident, cmd, actor, sourceOf(actor));
    }

    @Transactional
    public UpdateView postUpdate(Incident incident, PostUpdate cmd, Actor actor, String source) {
        lockForUpdate(incident);
        Instant now = clock.instant();
        if (cmd.state() != null && cmd.state() != incident.state) {
            UpdateRules.requireTransition(incident, cmd.state());
        }
        if (cmd.startsAt() != null || cmd.endsAt() != null) {
            UpdateRules.reschedule(incident, cmd.startsAt(), cmd.endsAt(), now);
        }
        Map<String, String> explain = texts.explain(cmd.explain());
        String defaultLocale = texts.defaultLocale(cmd.defaultLocale(), explain, firstDefaultLocale(incident));
        IncidentUpdate update = newUpdate(incident, cmd, defaultLocale, actor, source, now);
        update.stateTo = cmd.state() == incident.state ? null : cmd.state();
        update.severity = cmd.severity();
        update.scopes = cmd.scopes() == null ? null : distinct(cmd.scopes());
        update.messageKind = MessageKind.forTransition(update.stateTo);
        update.componentStatuses = wire(cmd.componentStatuses());
        UpdateRules.requireGoodwillAllowed(update);
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

    /** Updates default to the language the incident was declared in. */
    private String firstDefaultLocale(Incident incident) {
        IncidentUpdate first = IncidentUpdate.findBySeq(incident, 1).orElse(null);
        return first == null ? config.defaultLocale() : first.defaultLocale;
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
            UpdateRules.requireTransition(incident, update.stateTo);
        } else if (update.stateTo == incident.state) {
            update.stateTo = null;
            update.messageKind = update.seq == 1 ? update.messageKind : MessageKind.UPDATE;
            UpdateRules.requireGoodwillAllowed(update);
        }
        Instant given = update.nextUpdateBy;
        DeliveryEstimates.Reach reach = publish(incident, update, actor, clock.instant());
        return IncidentViews.of(update, true).withReview(review(incident, update, reach, given, incident.expectedEndAt));
    }

    /** What a draft would promise and say if published now, and how its messages come out for each group. */
    @Transactional
    public UpdateView preview(String key, int seq) {
        Incident incident = queries.require(key);
        IncidentUpdate update = IncidentUpdate.findBySeq(incident, seq)
                .orElseThrow(() -> ProblemException.notFound("Update #" + seq + " of " + key));
        UpdateView view = IncidentViews.of(update, true);
        if (update.status != UpdateStatus.DRAFT) {
            return view;
        }
        DeliveryEstimates.Reach reach = estimates.reach(IncidentQueries.AudienceTarget.ofDraft(incident, update));
        Instant promise = promises.draftPromise(incident, update, reach.estimate());
        view = new UpdateView(view.seq(), view.status(), view.messageKind(), incident.state, view.stateTo(),
                view.severity(), view.scopes(), view.explain(), view.explainSms(), view.defaultLocale(),
                view.acknowledge(), UpdateContent.offered(incident, update),
                view.confirm(), view.goodwill(), promise, view.notifyCustomers(), view.author(), view.source(),
                view.createdAt(), null, null, null, null);
        return view.withReview(review.of(templates.current(), content.of(incident, update, promise), reach, update.explain,
                update.nextUpdateBy, incident.expectedEndAt));
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
        DeliveryEstimates.Reach counted = reach != null ? reach
                : estimates.reach(IncidentQueries.AudienceTarget.ofDraft(incident, update));
        Instant promise = update.status == UpdateStatus.PUBLISHED ? update.nextUpdateBy
                : promises.draftPromise(incident, update, counted.estimate());
        return review.of(templates.current(), content.of(incident, update, promise), counted, update.explain, givenNextUpdate,
                expectedEndAt);
    }

    @Transactional
    public IncidentView setPaused(String key, boolean paused, Actor actor) {
        Incident incident = queries.require(key);
        if (incident.paused != paused) {
            incident.paused = paused;
            incident.updatedAt = clock.instant();
            audit.record(actor, paused ? "incident.pause" : "incident.resume", incident.key, null);
            events.record(paused ? "incident.paused" : "incident.resumed", incident.key, eventData(incident, null));
        }
        return queries.view(incident, true);
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

    /** The incident, locked for this transaction: updates to one incident are numbered one after the other. */
    private Incident requireForUpdate(String key) {
        Incident incident = queries.require(key);
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
            java.util.function.Function<IncidentQueries.AudienceTarget, Duration> estimateToReach) {
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
        update.options = UpdateContent.offered(incident, update);
        incident.componentStatuses.putAll(update.componentStatuses);
        if (incident.state.closed()) {
            incident.componentStatuses.clear();
        }
        incident.options = new ArrayList<>(update.options);
        incident.publicFacing = Scopes.isPublic(incident.scopes) && (incident.publicFacing || update.notify);
        boolean closed = incident.state.closed();
        Duration estimate = !update.notify ? Duration.ZERO
                : estimateToReach.apply(IncidentQueries.AudienceTarget.of(incident));
        if (PromisePolicy.needsNoEstimate(incident)) {
            estimate = Duration.ZERO;
        }
        update.nextUpdateBy = promises.promiseOf(incident, update, estimate, now);
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
            UpdateRules.requireTransition(incident, stateTo);
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
            UpdateRules.requireLabelsIn(update.options, defaultLocale);
        } else {
            UpdateRules.requireCodesKeepTheirMeaning(incident, update.options);
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

    /** The key the next declaration would get, without taking it (for previews). */
    String peekNextKey(Instant now) {
        return key(((Number) em.createNativeQuery(
                "select last_value + case when is_called then 1 else 0 end from incident_number_seq").getSingleResult())
                .longValue(), now);
    }

    private String nextKey(Instant now) {
        return key(((Number) em.createNativeQuery("select nextval('incident_number_seq')").getSingleResult()).longValue(),
                now);
    }

    private String key(long number, Instant now) {
        return "%s-%d-%04d".formatted(config.keyPrefix(), now.atZone(ZoneOffset.UTC).getYear(), number);
    }

    private static Map<String, Object> eventData(Incident incident, IncidentUpdate update) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("incident", IncidentViews.of(incident, true, null));
        if (update != null) {
            data.put("update", IncidentViews.of(update, true));
        }
        return data;
    }

    /** Where an update came from: a webhook source by its name, a console user from the console, a key from the API. */
    private static String sourceOf(Actor actor) {
        return actor.name().startsWith("source:") ? actor.name().substring("source:".length())
                : actor.name().startsWith("user:") ? "console" : "api";
    }

    private static Map<String, String> wire(Map<String, ComponentStatus> statuses) {
        Map<String, String> wire = new LinkedHashMap<>();
        if (statuses != null) {
            statuses.forEach((scope, status) -> wire.put(scope.trim(), status.wire()));
        }
        return wire;
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(values.stream().map(String::trim).toList()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
