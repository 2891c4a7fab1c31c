package io.incidentcomms.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.incidentcomms.incident.DeliveryEstimates.Reach;
import io.incidentcomms.incident.IncidentQueries;
import jakarta.enterprise.context.RequestScoped;

/** Audiences counted during one HTTP request, by what was counted. */
@RequestScoped
public class ReachCounts {

    private final Map<IncidentQueries.AudienceTarget, Reach> counted = new HashMap<>();

    Reach computeIfAbsent(IncidentQueries.AudienceTarget target, Function<IncidentQueries.AudienceTarget, Reach> count) {
        Reach reach = counted.get(target);
        if (reach == null) {
            reach = count.apply(target);
            counted.put(target, reach);
        }
        return reach;
    }
}
