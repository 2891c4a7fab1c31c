package io.incidentcomms.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.incidentcomms.message.MessageRenderer;
import jakarta.enterprise.context.ApplicationScoped;

/** What a customer message about one update says: its texts, the options it offers, its promise. */
@ApplicationScoped
public class UpdateContent {

    private final Clock clock;

    UpdateContent(Clock clock) {
        this.clock = clock;
    }

    /**
     * The options an update offers: its own, or, when it names none, the incident's open ones — but
     * none when it closes the incident (there is nothing left to work around).
     */
    static List<MessageOption> offered(Incident incident, IncidentUpdate update) {
        if (!update.optionsCarried) {
            return new ArrayList<>(update.options);
        }
        return update.stateTo != null && update.stateTo.closed() ? new ArrayList<>() : new ArrayList<>(incident.options);
    }

    /** The message content of an update: a draft that names no options offers the incident's open ones. */
    MessageRenderer.Content of(Incident incident, IncidentUpdate update, Instant promise) {
        long earlierOfKind = IncidentUpdate.publishedOfKindBefore(incident, update);
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
}
