package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * The queue's hot statements find their rows by id, however many claims are in flight and
 * whatever the table's statistics say about them (they are taken when few are, and a partial
 * index on the claims in flight then looks like the cheapest way to any of them); what the
 * console and metrics count of the queue is read through the queue, not every notification; and
 * claiming and recording change no index of notification, so each is a HOT update.
 */
@QuarkusTest
class NotificationQueuePlanTest {

    static final int IN_FLIGHT = 2000;

    /** A plan step that reads the whole notification table (not the queue table, whose name starts alike). */
    static final Pattern READS_EVERY_NOTIFICATION = Pattern.compile("Seq Scan on notification(\\s|$)", Pattern.MULTILINE);

    /** Columns that claiming, renewing, recording or settling a notification changes. */
    static final List<String> CHANGED_BY_A_SEND = List.of("state", "attempt_id", "attempts", "lease_until",
            "next_attempt_at", "provider_id", "variant_id", "sent_at", "updated_at", "last_error", "uncertain_attempts",
            "sent_text", "lookups");

    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    /** The external references of this test's subscribers, as a LIKE pattern. */
    final String ours = "plan-" + run + "-%";

    /**
     * Takes this test's notifications out of the queue, so that no dispatcher sends them. They
     * are not deleted: each deleted row is checked against every notification's fallback_of,
     * which no index covers (none is needed in production), and that took 18 s a test.
     */
    @AfterEach
    void finishTheClaims() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update notification set state = 'SUPERSEDED', lease_until = null
                where subscriber_id in (select id from subscriber where external_ref like ?1)""")
                .setParameter(1, ours).executeUpdate());
    }

    @Test
    void recordingAGroupOfSendsLooksEachClaimUpByIdNotByReadingEveryClaimInFlight() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();

        String plan = explain(NotificationQueue.RECORD_SENT, claims.subList(0, 5));

        assertTrue(plan.contains("Index Scan using notification_pkey on notification n")
                && plan.contains("Index Cond: (id = s.id)"), "each claim looked up by its id:\n" + plan);
    }

    @Test
    void countingWhatWaitsReadsTheWaitingNotificationsNotEveryNotificationEverSent() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update notification set state = 'SENT', lease_until = null where id = any(?1)")
                    .setParameter(1, claims.toArray(Long[]::new)).executeUpdate();
            em.createNativeQuery("analyze notification").executeUpdate();
        });

        @SuppressWarnings("unchecked")
        String plan = QuarkusTransaction.requiringNew().call(() -> String.join("\n",
                (List<String>) em.createNativeQuery("explain " + QueueDepth.WAITING).getResultList()));

        assertFalse(READS_EVERY_NOTIFICATION.matcher(plan).find(), "no pass over every notification:\n" + plan);
    }

    @Test
    void claimingFindsWhatIsDueThroughTheQueueNotByReadingEveryNotification() {
        claimsInFlightAfterStatisticsSawNone();

        @SuppressWarnings("unchecked")
        Timestamp now = Timestamp.from(Instant.now());
        String plan = QuarkusTransaction.requiringNew().call(() -> String.join("\n", (List<String>) em.createNativeQuery(
                "explain " + numbered(NotificationQueue.CLAIM))
                .setParameter(1, "EMAIL").setParameter(2, now).setParameter(3, now).setParameter(4, 50)
                .setParameter(5, Timestamp.from(Instant.now().plusSeconds(60))).setParameter(6, now).getResultList()));

        assertTrue(plan.contains("on notification_queue"), "candidates come from the queue:\n" + plan);
        assertFalse(READS_EVERY_NOTIFICATION.matcher(plan).find(), "no pass over every notification:\n" + plan);
    }

    @Test
    void claimingEmailsDoesNotLookUpWhetherTheAddressWasToldBefore() throws SQLException {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update notification set state = 'PLANNED', attempt_id = null, lease_until = null where id = any(?1)")
                .setParameter(1, claims.toArray(Long[]::new)).executeUpdate());

        Timestamp now = Timestamp.from(Instant.now());
        String plan;
        try (Connection connection = newConnectionLikeThePools()) {
            connection.setAutoCommit(false); // only the plan is wanted, not the claims: rolled back
            plan = String.join("\n", firstColumn(connection, "explain (analyze) " + NotificationQueue.CLAIM,
                    "EMAIL", now, now, 50, Timestamp.from(Instant.now().plusSeconds(60)), now));
            connection.rollback();
        }

        assertTrue(plan.contains("rows=50 loops=1"), "50 emails claimed:\n" + plan);
        List<String> earlierNotifications = plan.lines().filter(line -> line.contains(" on notification o ")).toList();
        assertFalse(earlierNotifications.isEmpty(), "the look-up is in the plan:\n" + plan);
        assertTrue(earlierNotifications.stream().allMatch(line -> line.contains("never executed")),
                "only an SMS needs to know whether its number heard of the incident before:\n" + plan);
    }

    @Test
    void supersedingFindsTheOlderPlannedNotificationsThroughTheQueueNotTheIncidentsHistory() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();
        long[] incidentAndUpdate = QuarkusTransaction.requiringNew().call(() -> {
            Tuple row = (Tuple) em.createNativeQuery(
                    "select incident_id, incident_update_id from notification where id = ?1", Tuple.class)
                    .setParameter(1, claims.get(0)).getSingleResult();
            return new long[] { row.get("incident_id", Number.class).longValue(),
                    row.get("incident_update_id", Number.class).longValue() };
        });

        @SuppressWarnings("unchecked")
        String plan = QuarkusTransaction.requiringNew().call(() -> String.join("\n", (List<String>) em.createNativeQuery(
                "explain " + numbered(DeliveryPlanner.SUPERSEDE_OLDER))
                .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, incidentAndUpdate[0])
                .setParameter(3, incidentAndUpdate[1]).setParameter(4, incidentAndUpdate[1]).getResultList()));

        assertFalse(READS_EVERY_NOTIFICATION.matcher(plan).find(), "no pass over every notification:\n" + plan);
        assertFalse(plan.contains("notification_incident_idx"), "no walk through the incident's history:\n" + plan);
    }

    @Test
    void noIndexOfNotificationCoversAColumnThatASendChanges() {
        @SuppressWarnings("unchecked")
        List<String> indexes = QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery(
                "select indexdef from pg_indexes where schemaname = current_schema() and tablename = 'notification'")
                .getResultList());

        assertFalse(indexes.isEmpty());
        for (String index : indexes) {
            for (String column : CHANGED_BY_A_SEND) {
                assertFalse(Pattern.compile("\\b" + column + "\\b").matcher(index).find(),
                        "an index that names " + column + " makes every change of it a non-HOT update: " + index);
            }
        }
    }

    @Test
    void recordingAGroupOfSendsRewritesNoIndexEntry() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone().subList(0, 200);

        long[] updatedAndHot = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> attempts = em.createNativeQuery(
                    "select cast(attempt_id as text) from notification where id = any(?1) order by id")
                    .setParameter(1, claims.toArray(Long[]::new)).getResultList();
            long[] before = updatesSoFar();
            Timestamp now = Timestamp.from(Instant.now());
            em.createNativeQuery(numbered(NotificationQueue.RECORD_SENT)).setParameter(1, now).setParameter(2, now)
                    .setParameter(3, claims.toArray(Long[]::new)).setParameter(4, attempts.toArray(String[]::new))
                    .setParameter(5, claims.stream().map(id -> "provider-" + id).toArray(String[]::new))
                    .setParameter(6, claims.stream().map(id -> (Long) null).toArray(Long[]::new)).getResultList();
            long[] after = updatesSoFar();
            return new long[] { after[0] - before[0], after[1] - before[1] };
        });

        assertEquals(claims.size(), updatedAndHot[0], "every claim recorded");
        // with an index on a changed column none would be; all are not, because a page's old
        // versions are pruned only once no snapshot can see them, and the scheduled jobs of this
        // test's service may still hold one: a row that finds its page full moves to another
        assertTrue(updatedAndHot[1] >= claims.size() / 2,
                updatedAndHot[1] + " of " + claims.size() + " recorded sends were HOT updates");
    }

    /**
     * The queue's triggers are planned once per connection, for the size of the first statement's
     * rows; a pooled connection whose first update was a large one (superseding, holding for quiet
     * hours) must not then read the whole queue for every group of sends it records.
     */
    @Test
    void recordingAFewSendsOnAConnectionWhoseFirstUpdateWasLargeFindsTheirQueueRowsById() throws SQLException {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("analyze notification_queue").executeUpdate());
        try (Connection fresh = newConnectionLikeThePools()) {
            Long[] all = claims.toArray(Long[]::new);
            Long[] few = claims.subList(0, 5).toArray(Long[]::new);
            firstColumn(fresh, "update notification set lease_until = now() + interval '2 minutes' where id = any(?)", (Object) all);

            fresh.setAutoCommit(false);
            long scansBefore = queueSeqScans(fresh);
            firstColumn(fresh, "update notification set state = 'SENT', lease_until = null where id = any(?)", (Object) few);
            long scans = queueSeqScans(fresh) - scansBefore;
            long leftInQueue = Long.parseLong(firstColumn(fresh,
                    "select count(*) from notification_queue where notification_id = any(?)", (Object) few).get(0));
            fresh.rollback();

            assertEquals(0, leftInQueue, "the sent notifications left the queue");
            assertEquals(0, scans, "the queue was read whole to take " + few.length + " sends out of it");
        }
    }

    /** A connection of its own (nothing planned on it yet), with the settings of the service's pooled ones. */
    private static Connection newConnectionLikeThePools() throws SQLException {
        Config config = ConfigProvider.getConfig();
        Properties properties = new Properties();
        properties.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(password -> properties.setProperty("password", password));
        config.getOptionalValue("quarkus.datasource.jdbc.additional-jdbc-properties.options", String.class)
                .ifPresent(options -> properties.setProperty("options", options));
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), properties);
    }

    /**
     * Runs a statement on a connection of its own, parameters bound in order (arrays as Java
     * arrays), and returns the first column of each row it returns (none for an update).
     */
    private static List<String> firstColumn(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> column = new ArrayList<>();
            if (statement.execute()) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        column.add(rows.getString(1));
                    }
                }
            }
            return column;
        }
    }

    /** Sequential scans of the queue table in this connection's transaction so far. */
    private static long queueSeqScans(Connection connection) throws SQLException {
        return Long.parseLong(firstColumn(connection, """
                select coalesce((select seq_scan from pg_stat_xact_user_tables where relname = 'notification_queue'), 0)""")
                .get(0));
    }

    /** A JDBC statement's {@code ?} parameters as {@code ?1, ?2, ...}, as a JPA native query takes them. */
    static String numbered(String jdbcStatement) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char c : jdbcStatement.toCharArray()) {
            numbered.append(c);
            if (c == '?') {
                numbered.append(++n);
            }
        }
        return numbered.toString();
    }

    /**
     * Updates of notification and how many of them were HOT, as this connection counts them (its
     * own, not yet flushed to the statistics; read twice in one transaction, the difference is exact).
     */
    long[] updatesSoFar() {
        Tuple counts = (Tuple) em.createNativeQuery("""
                select n_tup_upd as updated, n_tup_hot_upd as hot
                from pg_stat_xact_user_tables where relname = 'notification'""", Tuple.class).getSingleResult();
        return new long[] { counts.get("updated", Number.class).longValue(), counts.get("hot", Number.class).longValue() };
    }

    /** {@value #IN_FLIGHT} notifications of a new incident, SENDING, written after ANALYZE counted none. */
    @SuppressWarnings("unchecked")
    List<Long> claimsInFlightAfterStatisticsSawNone() {
        String key = asAdmin().body(Api.declaration("Plan " + run, "minor", "component:plan-" + run))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                    insert into subscriber (external_ref, created_at, updated_at)
                    select 'plan-' || ?1 || '-' || n, now(), now() from generate_series(1, ?2) n""")
                    .setParameter(1, run).setParameter(2, IN_FLIGHT).executeUpdate();
            em.createNativeQuery("""
                    insert into contact_point (subscriber_id, channel, address, created_at, updated_at)
                    select id, 'EMAIL', external_ref || '@example.com', now(), now() from subscriber where external_ref like ?1""")
                    .setParameter(1, ours).executeUpdate();
            em.createNativeQuery("""
                    insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel, state, created_at)
                    select u.id, i.id, cp.subscriber_id, cp.id, 'EMAIL', 'PLANNED', now()
                    from incident i join incident_update u on u.incident_id = i.id
                    join contact_point cp on cp.subscriber_id in (select id from subscriber where external_ref like ?2)
                    where i.incident_key = ?1""").setParameter(1, key).setParameter(2, ours).executeUpdate();
        });
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("analyze notification").executeUpdate());
        return QuarkusTransaction.requiringNew().call(() -> ((List<Number>) em.createNativeQuery("""
                update notification set state = 'SENDING', attempt_id = gen_random_uuid(), lease_until = now() + interval '1 minute'
                where subscriber_id in (select id from subscriber where external_ref like ?1) returning id""")
                .setParameter(1, ours).getResultList()).stream().map(Number::longValue).sorted().toList());
    }

    @SuppressWarnings("unchecked")
    String explain(String statement, List<Long> ids) {
        Timestamp now = Timestamp.from(Instant.now());
        return QuarkusTransaction.requiringNew().call(() -> String.join("\n", (List<String>) em.createNativeQuery(
                "explain " + numbered(statement))
                .setParameter(1, now).setParameter(2, now)
                .setParameter(3, ids.toArray(Long[]::new))
                .setParameter(4, ids.stream().map(id -> UUID.randomUUID().toString()).toArray(String[]::new))
                .setParameter(5, ids.stream().map(id -> "provider-" + id).toArray(String[]::new))
                .setParameter(6, ids.stream().map(id -> (Long) null).toArray(Long[]::new)).getResultList()));
    }
}
