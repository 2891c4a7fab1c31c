package io.incidentcomms.incident;

import java.time.Duration;

/** How long reaching an incident's audience takes at the senders' rates (delivery answers it). */
public interface DeliveryEstimates {

    Duration toReach(IncidentService.AudienceTarget target);

    /** For an audience already counted: so many emails and SMS. */
    Duration toReach(long emails, long sms);
}
