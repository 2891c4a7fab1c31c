import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where PostgreSQL's time per notification goes in the three statements every message passes
 * through (see hot-statements.sh): the planning insert, the claim and the record of a send. Each
 * is run under EXPLAIN ANALYZE on the delivery benchmark's database as the fan-out left it, in a
 * transaction that is rolled back (the planning insert plans every contact point for the latest
 * update, the claim and the record take {@code rows} at a time), and its time is split by the plan
 * into the statement's own rows and indexes, the reference checks (one trigger per foreign key),
 * the queue's trigger and, for the claim, the look-ups of each recipient. The claim and the record
 * are the service's own statements ({@code NotificationQueue.CLAIM}, {@code RECORD_SENT}), read
 * from its classes; the planning insert reads its recipients more simply than the audience's query.
 *
 * Usage: java -cp target/classes:target/quarkus-app/lib/main/* HotStatements.java <jdbc-url> [rows] [rounds]
 */
public class HotStatements {

    static final Pattern EXECUTION = Pattern.compile("Execution Time: ([\\d.]+) ms");
    static final Pattern TRIGGER = Pattern.compile("Trigger (?:for constraint )?(\\S+): time=([\\d.]+) calls=(\\d+)");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("options", "-c jit=off -c random_page_cost=1.1"); // as the service's connections
        String claim = constant("io.incidentcomms.delivery.NotificationQueue", "CLAIM");
        String recordSent = constant("io.incidentcomms.delivery.NotificationQueue", "RECORD_SENT");
        try (Connection db = DriverManager.getConnection(url, properties)) {
            long[] fanOut = longs(db, """
                    select incident_update_id, incident_id from notification
                    group by incident_update_id, incident_id order by count(*) desc limit 1""");
            long[] latest = longs(db, "select id, incident_id from incident_update order by id desc limit 1");
            long variant = longs(db, "select id from message_variant where incident_update_id = ? and channel = 'EMAIL' limit 1",
                    fanOut[0])[0];
            System.out.printf("PostgreSQL time per notification by part (us; EXPLAIN ANALYZE, median of %d rounds):%n", rounds);

            List<Map<String, Double>> planning = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                planning.add(parts(explained(db, """
                        explain (analyze) insert into notification (incident_update_id, incident_id, subscriber_id,
                                                  contact_point_id, channel, state, created_at, priority, turn)
                        select ?, ?, cp.subscriber_id, cp.id, cp.channel, 'PLANNED', now(), 21, row_number() over ()
                        from contact_point cp join subscriber s on s.id = cp.subscriber_id where s.erased_at is null
                        on conflict (incident_update_id, contact_point_id) do nothing""", latest[0], latest[1]),
                        "Insert on notification", "the rows and their indexes (and reading the recipients)"));
            }
            print("planning insert", planning);

            update(db, """
                    update notification set state = 'PLANNED', attempt_id = null, lease_until = null, next_attempt_at = null,
                        attempts = 0, provider_id = null, variant_id = null, sent_at = null
                    where incident_update_id = ?""", fanOut[0]); // as planned, so that recording sets the variant afresh
            try (Statement vacuum = db.createStatement()) {
                vacuum.execute("vacuum analyze notification, notification_queue"); // as autovacuum would have
            }
            Timestamp now = Timestamp.from(Instant.now());
            Timestamp leaseUntil = Timestamp.from(Instant.now().plusSeconds(600));
            List<Map<String, Double>> claims = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String plan = explained(db, "explain (analyze) " + claim, "EMAIL", now, now, rows, leaseUntil, now);
                Map<String, Double> parts = new LinkedHashMap<>();
                double picked = nodeEnd(plan, "CTE picked");
                double updated = nodeEnd(plan, "CTE claimed");
                double whole = firstNodeEnd(plan);
                int claimed = rowsOf(plan);
                parts.put("finding what is due and locking it", picked / claimed);
                parts.put("the update", (updated - picked) / claimed);
                parts.put("the recipients' look-ups", (whole - updated) / claimed);
                parts.putAll(triggers(plan, claimed));
                parts.put("total", executionTime(plan) / claimed);
                claims.add(parts);
            }
            print("claim", claims);

            List<Map<String, Double>> records = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<Object[]> inFlight = claimed(db, claim, rows, now, leaseUntil);
                Long[] ids = inFlight.stream().map(r -> (Long) r[0]).toArray(Long[]::new);
                String[] attempts = inFlight.stream().map(r -> (String) r[1]).toArray(String[]::new);
                String[] providerIds = Arrays.stream(ids).map(id -> "SM" + id).toArray(String[]::new);
                Long[] variants = Arrays.stream(ids).map(id -> variant).toArray(Long[]::new);
                records.add(parts(explained(db, "explain (analyze) " + recordSent, now, now, ids, attempts, providerIds, variants),
                        "Update on notification n", "the update (and whether a report waits)"));
            }
            print("record", records);
        }
    }

    /** A statement's time per row by part: its own top node, each trigger, and the whole. */
    static Map<String, Double> parts(String plan, String node, String label) {
        int rows = rowsOf(plan);
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put(label, nodeEnd(plan, node) / rows);
        parts.putAll(triggers(plan, rows));
        parts.put("total", executionTime(plan) / rows);
        return parts;
    }

    static Map<String, Double> triggers(String plan, int rows) {
        Map<String, Double> parts = new LinkedHashMap<>();
        Matcher trigger = TRIGGER.matcher(plan);
        while (trigger.find()) {
            parts.put(trigger.group(1), Double.parseDouble(trigger.group(2)) * 1000 / rows);
        }
        return parts;
    }

    /** The rows the statement wrote: those an insert inserted, or those its top node returned. */
    static int rowsOf(String plan) {
        Matcher inserted = Pattern.compile("Tuples Inserted: (\\d+)").matcher(plan);
        Matcher top = Pattern.compile("actual time=[\\d.]+\\.\\.[\\d.]+ rows=(\\d+)").matcher(plan);
        int rows = inserted.find() ? Integer.parseInt(inserted.group(1)) : top.find() ? Integer.parseInt(top.group(1)) : 0;
        if (rows == 0) {
            throw new IllegalStateException("the statement wrote no rows, so there is nothing to divide by"
                    + " (run delivery-benchmark.sh again for a database as its fan-out leaves it):\n" + plan);
        }
        return rows;
    }

    static double nodeEnd(String plan, String node) {
        int at = plan.indexOf(node);
        Matcher time = Pattern.compile("actual time=[\\d.]+\\.\\.([\\d.]+)").matcher(plan);
        if (at < 0 || !time.find(at)) {
            throw new IllegalStateException("no " + node + " in the plan:\n" + plan);
        }
        return Double.parseDouble(time.group(1)) * 1000;
    }

    static double firstNodeEnd(String plan) {
        return nodeEnd(plan, "actual time=");
    }

    static double executionTime(String plan) {
        Matcher execution = EXECUTION.matcher(plan);
        execution.find();
        return Double.parseDouble(execution.group(1)) * 1000;
    }

    static void print(String statement, List<Map<String, Double>> rounds) {
        System.out.printf("  %s%n", statement);
        for (String part : rounds.get(0).keySet()) {
            double[] values = rounds.stream().mapToDouble(r -> r.getOrDefault(part, 0.0)).sorted().toArray();
            System.out.printf("    %-58s %6.1f%n", part, values[values.length / 2]);
        }
    }

    /** Runs EXPLAIN ANALYZE in a transaction that is rolled back, and returns the plan's text. */
    static String explained(Connection db, String sql, Object... parameters) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, parameters);
            StringBuilder plan = new StringBuilder();
            try (ResultSet lines = statement.executeQuery()) {
                while (lines.next()) {
                    plan.append(lines.getString(1)).append('\n');
                }
            }
            return plan.toString();
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    /** Claims for real (committed), so that the record has sends in flight: ids and attempt ids. */
    static List<Object[]> claimed(Connection db, String claim, int rows, Timestamp now, Timestamp leaseUntil) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(claim)) {
            bind(statement, "EMAIL", now, now, rows, leaseUntil, now);
            List<Object[]> claimed = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    claimed.add(new Object[] { result.getLong("id"), result.getString("attempt_id") });
                }
            }
            return claimed;
        }
    }

    static void update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
    }

    static long[] longs(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("nothing found by " + sql + ": run delivery-benchmark.sh first");
                }
                long[] values = new long[row.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.getLong(i + 1);
                }
                return values;
            }
        }
    }

    /** Binds parameters in order; arrays as Java arrays, which the driver sends as SQL arrays. */
    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    /** One of the service's statements, from its compiled classes, so that this measures what it runs. */
    static String constant(String className, String name) throws ReflectiveOperationException {
        Field field = Class.forName(className).getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }
}
