package io.incidentcomms.platform.local;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** In the no-services run, says on the console where everything is. */
@ApplicationScoped
public class LocalRunBanner {

    private static final Logger LOG = Logger.getLogger(LocalRunBanner.class);

    void announce(@Observes StartupEvent start,
            @ConfigProperty(name = "comms.local.embedded-database", defaultValue = "false") boolean local,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port) {
        if (!local) {
            return;
        }
        String base = "http://localhost:" + port;
        LOG.infof("""

                ==== incident-comms: no-services run ====
                  Database     embedded PostgreSQL 15 (thrown away when the service stops)
                  API          %1$s/api/incidents  (ops/admin key: local-admin-key)
                  Swagger UI   %1$s/q/swagger-ui
                  Health       %1$s/q/health
                  Messages     %1$s/local/messages  (email and SMS are captured, not sent)
                  Subscribers  32 demo subscribers (component:checkout, region:eu-west, ...)
                  Event bus    off: incident events stay in the event_outbox table
                ===========================================""", base);
    }
}
