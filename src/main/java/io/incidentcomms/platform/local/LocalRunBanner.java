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
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
            @ConfigProperty(name = "comms.console.admin.username", defaultValue = "admin") String admin,
            @ConfigProperty(name = "comms.console.admin.password") java.util.Optional<String> password) {
        if (!local) {
            return;
        }
        String base = "http://localhost:" + port;
        LOG.infof("""

                ==== incident-comms: no-services run ====
                  Console      %1$s/console  (sign in as %2$s / %3$s)
                  Status page  %1$s/
                  Database     embedded PostgreSQL 15 (thrown away when the service stops)
                  API          %1$s/api/incidents  (ops/admin key: local-admin-key)
                  Swagger UI   %1$s/q/swagger-ui
                  Health       %1$s/q/health
                  Inbox        %1$s/local/messages  (email and SMS are captured, not sent; reply to an SMS there)
                  Subscribers  32 demo subscribers (component:checkout, region:eu-west, ...)
                  Event bus    off: incident events stay in the event_outbox table
                ===========================================""", base, admin,
                password.orElse("the password in COMMS_CONSOLE_ADMIN_PASSWORD"));
    }
}
