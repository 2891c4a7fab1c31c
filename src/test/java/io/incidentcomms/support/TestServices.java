package io.incidentcomms.support;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the tests reach PostgreSQL and RabbitMQ: on 127.0.0.1 at their usual ports, or, when
 * {@link ServicesAreUp} fell back to Quarkus Dev Services, wherever those containers were started
 * (read from the running application's configuration, which Dev Services fill in).
 */
public final class TestServices {

    /** Set by {@link ServicesAreUp} for the run when Dev Services stand in for the local PostgreSQL. */
    static final String POSTGRES_IN_DEV_SERVICES = "comms.test.dev-services.postgres";
    /** The same for RabbitMQ. */
    static final String RABBIT_IN_DEV_SERVICES = "comms.test.dev-services.rabbitmq";

    private TestServices() {
    }

    /** The JDBC URL of a database on the tests' PostgreSQL server. */
    public static String postgresUrl(String database) {
        if (!Boolean.getBoolean(POSTGRES_IN_DEV_SERVICES)) {
            return "jdbc:postgresql://127.0.0.1:5432/" + database;
        }
        String running = config("quarkus.datasource.jdbc.url");
        int query = running.indexOf('?');
        String withoutQuery = query < 0 ? running : running.substring(0, query);
        return withoutQuery.substring(0, withoutQuery.lastIndexOf('/') + 1) + database;
    }

    public static String rabbitHost() {
        return Boolean.getBoolean(RABBIT_IN_DEV_SERVICES) ? config("rabbitmq-host") : "127.0.0.1";
    }

    public static int rabbitPort() {
        return Boolean.getBoolean(RABBIT_IN_DEV_SERVICES) ? Integer.parseInt(config("rabbitmq-port")) : 5672;
    }

    /** host:port of the PostgreSQL server, for messages. */
    public static String postgresAddress() {
        URI uri = URI.create(postgresUrl("test").substring("jdbc:".length()));
        return uri.getHost() + ":" + uri.getPort();
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
