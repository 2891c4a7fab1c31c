package io.incidentcomms.statuspage;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** What the public status pages say. English here; others in {@code messages/status_<locale>.properties}. */
@MessageBundle("status")
public interface StatusMessages {

    @Message("Investigating")
    String stateInvestigating();

    @Message("Identified")
    String stateIdentified();

    @Message("Monitoring")
    String stateMonitoring();

    @Message("Resolved")
    String stateResolved();

    @Message("Scheduled")
    String stateScheduled();

    @Message("In progress")
    String stateInProgress();

    @Message("Completed")
    String stateCompleted();

    @Message("Cancelled")
    String stateCancelled();

    @Message("Started {time}")
    String started(String time);

    @Message("Next update by {time}")
    String nextUpdate(String time);

    @Message("Updates")
    String updates();

    @Message("Affects: {names}")
    String affects(String names);

    @Message("Time zone: {zone}.")
    String timesIn(String zone);
}
