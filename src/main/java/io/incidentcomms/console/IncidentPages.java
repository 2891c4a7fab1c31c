package io.incidentcomms.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.IncidentViews.UpdateView;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.UpdateStatus;
import jakarta.enterprise.context.ApplicationScoped;

/** An incident's timeline as the console shows it: each update, what it promised and whether that was kept. */
@ApplicationScoped
public class IncidentPages {

    /** One update: its texts per language, who published it and when, its promise and how that went. */
    public record Entry(int seq, boolean draft, String kind, String stateTo, Map<String, String> explain, String author,
            String source, String at, boolean toldCustomers, String promise, String promiseKept,
            List<String> optionCodes) {
    }

    private final Clock clock;

    IncidentPages(Clock clock) {
        this.clock = clock;
    }

    public List<Entry> timeline(IncidentView incident) {
        List<UpdateView> updates = incident.timeline();
        List<Entry> entries = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < updates.size(); i++) {
            UpdateView u = updates.get(i);
            boolean draft = u.status() == UpdateStatus.DRAFT;
            Instant at = draft ? u.createdAt() : u.publishedAt();
            entries.add(new Entry(u.seq(), draft, ConsoleChoices.wire(u.messageKind()),
                    u.stateTo() == null ? null : ConsoleChoices.wire(u.stateTo()), u.explain() == null ? Map.of() : u.explain(),
                    u.author(), u.source(), at == null ? "" : ConsolePages.time(at),
                    !Boolean.FALSE.equals(u.notifyCustomers()),
                    draft ? null : ConsolePages.time(u.nextUpdateBy()),
                    draft ? null : kept(u, updates.subList(i + 1, updates.size()), incident, now),
                    u.options() == null ? List.of() : u.options().stream().map(o -> o.code() + " = "
                            + LocalizedText.in(o.label(), u.defaultLocale())).toList()));
        }
        java.util.Collections.reverse(entries);
        return entries;
    }

    /** Kept when a later customer update (or the end) came by the promised time. */
    private static String kept(UpdateView update, List<UpdateView> later, IncidentView incident, Instant now) {
        Instant promise = update.nextUpdateBy();
        if (promise == null) {
            return null;
        }
        Instant next = later.stream().filter(u -> u.status() == UpdateStatus.PUBLISHED && u.publishedAt() != null)
                .map(UpdateView::publishedAt).findFirst().orElse(null);
        if (next != null) {
            return next.isAfter(promise) ? "missed (next update " + ConsolePages.time(next) + ")" : "kept";
        }
        if (incident.state().closed()) {
            return "ended";
        }
        return promise.isAfter(now) ? "due, " + DeliveryWatch.timeLeft(promise, now) : "missed so far";
    }
}
