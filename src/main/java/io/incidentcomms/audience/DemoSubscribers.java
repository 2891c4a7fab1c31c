package io.incidentcomms.audience;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/** A few dozen demo subscribers for the no-services run, so a declared incident reaches someone. */
@ApplicationScoped
public class DemoSubscribers {

    private static final Logger LOG = Logger.getLogger(DemoSubscribers.class);
    private static final String[] SCOPES = { "component:checkout", "component:search", "component:login",
            "region:eu-west", "region:us-east", "location:store-042", "region:*" };
    private static final String[][] PEOPLE = { { "Ada", "en", "Europe/London" }, { "Bruno", "de", "Europe/Berlin" },
            { "Chloé", "fr", "Europe/Paris" }, { "Dmitri", "en", "Europe/Helsinki" }, { "Emma", "de", "Europe/Vienna" },
            { "Farah", "en", "Asia/Dubai" }, { "Gus", "en", "America/New_York" }, { "Hana", "en", "Asia/Tokyo" } };

    private final SubscriberStore store;
    private final AudienceConfig config;

    DemoSubscribers(SubscriberStore store, AudienceConfig config) {
        this.store = store;
        this.config = config;
    }

    @Transactional
    void seed(@Observes StartupEvent start) {
        if (!config.demoData() || Subscriber.count() > 0) {
            return;
        }
        List<SubscriberRow> rows = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String[] person = PEOPLE[i % PEOPLE.length];
            String name = person[0] + " " + (i + 1);
            boolean sms = i % 3 == 0;
            rows.add(new SubscriberRow(i + 1, "demo-" + (i + 1), name, person[1], person[2],
                    i % 8 == 0 ? Tier.PRIORITY : Tier.STANDARD, null, null, null,
                    person[0].toLowerCase() + (i + 1) + "@example.com", sms ? "+44740090" + String.format("%04d", i) : null,
                    sms ? Boolean.TRUE : null, sms ? "demo data" : null,
                    List.of(SCOPES[i % SCOPES.length], SCOPES[(i + 3) % SCOPES.length])));
        }
        store.upsert(rows, true);
        LOG.infof("Seeded %d demo subscribers (no-services run)", rows.size());
    }
}
