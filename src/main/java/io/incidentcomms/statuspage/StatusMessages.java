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

    @Message("Operational")
    String componentOperational();

    @Message("Degraded performance")
    String componentDegraded();

    @Message("Partial outage")
    String componentPartialOutage();

    @Message("Major outage")
    String componentMajorOutage();

    @Message("Under maintenance")
    String componentMaintenance();

    @Message("All systems operational")
    String bannerOperational();

    @Message("Some systems are slower than usual")
    String bannerDegraded();

    @Message("Some systems are partly down")
    String bannerPartialOutage();

    @Message("Some systems are down")
    String bannerMajorOutage();

    @Message("Maintenance in progress")
    String bannerMaintenance();

    @Message("Status")
    String pageTitle();

    @Message("Current incidents")
    String activeIncidents();

    @Message("Planned maintenance")
    String plannedWork();

    @Message("Components")
    String components();

    @Message("Other")
    String ungrouped();

    @Message("{percent}\u00a0% uptime over {days} days")
    String uptime(String percent, int days);

    @Message("{date}: {status}, {uptime}\u00a0% uptime")
    String day(String date, String status, String uptime);

    @Message("{date}: no data")
    String dayWithoutData(String date);

    @Message("{days} days ago")
    String daysAgo(int days);

    @Message("Today")
    String today();

    @Message("Latest update {time}")
    String latestUpdate(String time);

    @Message("{from} until {until}")
    String window(String from, String until);

    @Message("From {from}")
    String from(String from);

    @Message("Incident history")
    String history();

    @Message("No incidents in this period.")
    String noIncidents();

    @Message("Newer incidents")
    String newer();

    @Message("Older incidents")
    String older();

    @Message("Subscribe to updates")
    String subscribe();

    @Message("Feeds")
    String feeds();

    @Message("Status badge")
    String badge();

    @Message("Read more")
    String readMore();
}
