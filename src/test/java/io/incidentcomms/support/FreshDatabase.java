package io.incidentcomms.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A database of its own for a test profile, dropped and created anew at start: for tests that need
 * to know every subscriber there is (no wildcard subscribers left by other tests). The profile
 * names it with the init argument {@code database} and points the datasource at {@link #url}.
 */
public class FreshDatabase implements QuarkusTestResourceLifecycleManager {

    private String database;

    public static String url(String database) {
        return TestServices.postgresUrl(database);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null || !database.matches("[a-z_]+")) {
            throw new IllegalArgumentException("a fresh database needs a plain name, not " + database);
        }
    }

    /** Drops the database, with whoever is connected to it, and creates it empty. */
    public static void create(String database) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        create(database);
        return Map.of("quarkus.datasource.jdbc.url", url(database));
    }

    @Override
    public void stop() {
    }
}
