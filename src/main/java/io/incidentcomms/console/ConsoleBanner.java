package io.incidentcomms.console;

import io.incidentcomms.incident.IncidentQueries;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** What every console page says at its top when it matters: that all messaging is paused. */
@RequestScoped
@Named("consoleBanner")
public class ConsoleBanner {

    private final IncidentQueries queries;
    private Boolean paused;

    ConsoleBanner(IncidentQueries queries) {
        this.queries = queries;
    }

    public boolean messagingPaused() {
        if (paused == null) {
            paused = queries.globallyPaused();
        }
        return paused;
    }
}
