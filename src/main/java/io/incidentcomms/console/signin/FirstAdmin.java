package io.incidentcomms.console.signin;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * At start, creates the first admin from the environment when the console has no user yet, and
 * says so when it cannot; every hour, forgets ended sessions and old failed sign-ins.
 */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    private final ConsoleUsers users;
    private final ConsoleSessions sessions;
    private final SignInThrottle throttle;
    private final ConsoleConfig config;

    FirstAdmin(ConsoleUsers users, ConsoleSessions sessions, SignInThrottle throttle, ConsoleConfig config) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        String username = config.admin().username();
        if (config.admin().password().isEmpty()) {
            if (users.none()) {
                LOG.warn("The console has no user: set COMMS_CONSOLE_ADMIN_PASSWORD (and COMMS_CONSOLE_ADMIN_USERNAME) to create the first admin");
            }
            return;
        }
        String password = config.admin().password().get();
        String problem = Passwords.problem(password);
        if (problem != null) {
            LOG.errorf("COMMS_CONSOLE_ADMIN_PASSWORD is not used: %s", problem);
            return;
        }
        if (users.createFirstAdmin(username, password)) {
            LOG.infof("Created the console's first admin, %s", ConsoleUsers.normalize(username));
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        sessions.forgetEnded();
        throttle.forgetOld();
    }
}
