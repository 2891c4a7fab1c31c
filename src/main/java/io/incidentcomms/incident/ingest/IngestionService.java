package io.incidentcomms.incident.ingest;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.Incident;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.platform.problem.BeanValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Applies events from webhooks and the bus to incidents. Event identity is not incident identity:
 * a redelivered event (same key) is dropped in the same transaction that would apply it, while a
 * later, different event about the same ticket or alert still applies to its incident.
 */
@ApplicationScoped
public class IngestionService {

    public enum Outcome {
        DECLARED, UPDATED, REOPENED, RESOLVED, NOTED, DUPLICATE, IGNORED
    }

    public record Result(Outcome outcome, String incidentKey) {
    }

    private final IncidentService incidents;
    private final IncidentQueries queries;
    private final EntityManager em;
    private final Clock clock;
    private final BeanValidation validation;
    private final IngestConfig config;

    IngestionService(IncidentService incidents, IncidentQueries queries, EntityManager em, Clock clock,
            BeanValidation validation, IngestConfig config) {
        this.incidents = incidents;
        this.queries = queries;
        this.em = em;
        this.clock = clock;
        this.validation = validation;
        this.config = config;
    }

    @Transactional
    public Result apply(String source, Intake intake) {
        if (!firstDelivery(source, intake.eventKey())) {
            return new Result(Outcome.DUPLICATE, null);
        }
        Actor actor = Actor.source(source);
        Optional<Incident> latest = queries.latestByExternalId(source, intake.externalId());
        Optional<Incident> open = latest.filter(i -> !i.state.closed());
        return switch (intake.intent()) {
            case OPEN -> {
                if (open.isPresent()) {
                    if (intake.update() == null) {
                        yield new Result(Outcome.IGNORED, open.get().key);
                    }
                    incidents.postUpdate(open.get(), validation.requireValid(intake.update()), actor, source);
                    yield new Result(Outcome.UPDATED, open.get().key);
                }
                // an event that cannot declare (a reopen) reopens the last incident, whenever it closed
                Optional<Incident> flapping = intake.declaration() == null ? latest.filter(i -> i.state.closed())
                        : latest.filter(this::withinFlapWindow);
                if (flapping.isPresent()) {
                    Incident incident = flapping.get();
                    PostUpdate reopen = reopening(incident, intake.update());
                    incidents.postUpdate(incident, validation.requireValid(reopen), actor, source);
                    yield new Result(Outcome.REOPENED, incident.key);
                }
                if (intake.declaration() == null) {
                    yield new Result(Outcome.IGNORED, latest.map(i -> i.key).orElse(null));
                }
                DeclareIncident declaration = validation.requireValid(intake.declaration().get());
                yield new Result(Outcome.DECLARED,
                        incidents.declare(declaration, actor, source, intake.externalId()).key());
            }
            case RESOLVE -> {
                if (open.isEmpty()) {
                    yield new Result(Outcome.IGNORED, latest.map(i -> i.key).orElse(null));
                }
                Incident incident = open.get();
                IncidentState target = incident.kind.planned() ? IncidentState.COMPLETED : IncidentState.RESOLVED;
                PostUpdate resolve = intake.update() == null ? PostUpdate.stateChange(target, null, true)
                        : withState(intake.update(), target);
                incidents.postUpdate(incident, validation.requireValid(resolve), actor, source);
                yield new Result(Outcome.RESOLVED, incident.key);
            }
            case NOTE -> {
                if (latest.isEmpty() || intake.update() == null) {
                    yield new Result(Outcome.IGNORED, latest.map(i -> i.key).orElse(null));
                }
                incidents.postUpdate(latest.get(), validation.requireValid(intake.update()), actor, source);
                yield new Result(Outcome.NOTED, latest.get().key);
            }
        };
    }

    private boolean firstDelivery(String source, String eventKey) {
        return em.createNativeQuery("""
                insert into inbound_event (source, event_key, received_at) values (?1, ?2, ?3)
                on conflict do nothing""")
                .setParameter(1, source).setParameter(2, eventKey)
                .setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate() == 1;
    }

    private boolean withinFlapWindow(Incident incident) {
        return incident.state == IncidentState.RESOLVED && incident.resolvedAt != null
                && !incident.resolvedAt.plus(config.flapWindow()).isBefore(clock.instant());
    }

    private static PostUpdate reopening(Incident incident, PostUpdate update) {
        // without ops' words, the template says it in each recipient's language
        Map<String, String> explain = update != null ? update.explain() : null;
        PostUpdate base = update != null ? update : PostUpdate.stateChange(IncidentState.INVESTIGATING, explain, true);
        return new PostUpdate(IncidentState.INVESTIGATING, base.severity(), base.scopes(), explain, base.explainSms(),
                base.defaultLocale(), base.acknowledge(), base.options(), base.confirm(), base.goodwill(),
                base.nextUpdateBy(), base.notifyCustomers(), false, null, null, null);
    }

    private static PostUpdate withState(PostUpdate update, IncidentState state) {
        return new PostUpdate(state, update.severity(), update.scopes(), update.explain(), update.explainSms(),
                update.defaultLocale(), update.acknowledge(), update.options(), update.confirm(), update.goodwill(),
                update.nextUpdateBy(), update.notifyCustomers(), false, null, null, null);
    }


    /**
     * A start time a monitoring system gave, or null (the incident then starts now) when it gave
     * none or one that is not an ISO-8601 instant: a bad timestamp must not lose the alert.
     */
    static Instant parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
