package io.incidentcomms.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before the first test: PostgreSQL and RabbitMQ must answer on 127.0.0.1 (the tests use the real
 * ones), or the run stops at once saying which is missing and how to start it, instead of every
 * test failing with its own wall of connection errors.
 */
public class ServicesAreUp implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        List<String> missing = missing(5432, 5672);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The tests need services that are not running:\n  - "
                    + String.join("\n  - ", missing) + "\n`bash .ci/run` starts both when they are installed.");
        }
    }

    /** What to install or start, for each of the two services not listening on its port. */
    static List<String> missing(int postgresPort, int rabbitPort) {
        List<String> missing = new ArrayList<>();
        if (!listening(postgresPort)) {
            missing.add("PostgreSQL on 127.0.0.1:" + postgresPort + " (trust auth for 'postgres', a database 'test'):"
                    + " install postgresql and run `pg_ctlcluster <version> main start`");
        }
        if (!listening(rabbitPort)) {
            missing.add("RabbitMQ on 127.0.0.1:" + rabbitPort + " (guest/guest): install rabbitmq-server and run `rabbitmq-server -detached`");
        }
        return missing;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
