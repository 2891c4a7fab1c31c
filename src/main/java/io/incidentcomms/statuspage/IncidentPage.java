package io.incidentcomms.statuspage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.IncidentState;
import io.incidentcomms.incident.IncidentViews.IncidentView;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;

/** One public incident as its page shows it, in the viewer's language where ops wrote it. */
@ApplicationScoped
public class IncidentPage {

    /** An update on the page: the state it left the incident in, when, and what it said. */
    public record Entry(String state, String at, String text) {
    }

    public record Model(String key, String title, String state, boolean closed, String started, String nextUpdate,
            String affects, List<Entry> updates, String zone) {
    }

    private final IncidentQueries incidents;
    private final ScopeNames scopeNames;

    IncidentPage(IncidentQueries incidents, ScopeNames scopeNames) {
        this.incidents = incidents;
        this.scopeNames = scopeNames;
    }

    public Model of(String key, Locale locale, ZoneId zone) {
        IncidentView view = incidents.publicView(key)
                .orElseThrow(() -> ProblemException.notFound("Incident " + key));
        String tag = locale.toLanguageTag();
        StatusMessages messages = MessageBundles.get(StatusMessages.class, Localized.Literal.of(tag));
        List<io.incidentcomms.incident.IncidentViews.UpdateView> newestFirst = new java.util.ArrayList<>(view.timeline());
        java.util.Collections.reverse(newestFirst);
        List<Entry> updates = newestFirst.stream()
                .map(u -> new Entry(state(u.stateTo() != null ? u.stateTo() : u.stateFrom(), messages),
                        StatusPage.time(u.publishedAt(), locale, zone), text(u.explain(), tag, u.defaultLocale(),
                                text(view.titles(), tag, null, view.title()))))
                .toList();
        return new Model(view.key(), text(view.titles(), tag, null, view.title()), state(view.state(), messages),
                view.state().closed(), StatusPage.time(view.startedAt(), locale, zone),
                view.nextUpdateBy() == null ? null : StatusPage.time(view.nextUpdateBy(), locale, zone),
                String.join(", ", scopeNames.names(view.scopes(), locale).values()), updates,
                zone.getDisplayName(java.time.format.TextStyle.FULL, locale));
    }

    static String state(IncidentState state, StatusMessages messages) {
        return switch (state) {
            case INVESTIGATING -> messages.stateInvestigating();
            case IDENTIFIED -> messages.stateIdentified();
            case MONITORING -> messages.stateMonitoring();
            case RESOLVED -> messages.stateResolved();
            case SCHEDULED -> messages.stateScheduled();
            case IN_PROGRESS -> messages.stateInProgress();
            case COMPLETED -> messages.stateCompleted();
            case CANCELLED -> messages.stateCancelled();
        };
    }

    private static String text(Map<String, String> texts, String locale, String defaultLocale, String otherwise) {
        String text = LocalizedText.in(texts, locale);
        if (text == null && defaultLocale != null) {
            text = LocalizedText.in(texts, defaultLocale);
        }
        return text == null || text.isBlank() ? otherwise : text;
    }
}
