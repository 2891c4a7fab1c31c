import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Delivery benchmark (see delivery-benchmark.sh): a counting SMTP sink and a counting stub of
 * Twilio's Messages API in this JVM; the packaged service in another, so its CPU time is its own.
 *
 * 1. The sink's and the stub's own ceilings, measured with plain clients at the dispatcher's concurrency.
 * 2. 100k notifications (50k emails, 50k SMS) of a minor incident, rate limits off: time to
 *    everyone, messages per second per channel and CPU microseconds per message; a critical incident
 *    declared while that backlog is queued, and the time until its first message is out; the
 *    service's JFR profile (target/bench-delivery.jfr) split into database, rendering, SMTP client,
 *    HTTP client and the rest, with its top frames. Then the same with two service processes on the
 *    same database, and the scaling ratio.
 * 3. With rate limits of 100/s (SMS segments, emails), the measured rates.
 *
 * Usage: java DeliveryBenchmark.java <jar> <jdbc-url> <subscribers> [one]   ("one": only the one-process fan-out)
 *        java DeliveryBenchmark.java sink   (only the SMTP sink, for MailClientBenchmark)
 */
public class DeliveryBenchmark {

    static final int SERVICE_PORT = 18090;
    static final int SMTP_PORT = 3525;
    static final int TWILIO_PORT = 18098;
    static final String KEY = "bench-admin-key";
    static final String ACCOUNT = "AC00000000000000000000000000000001";
    static final int CONCURRENCY = 8;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final AtomicLong emails = new AtomicLong();
    static final AtomicLong sms = new AtomicLong();
    static final AtomicLong segments = new AtomicLong();

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("sink")) {
            sinkOnly();
            return;
        }
        String jar = args[0];
        String jdbcUrl = args[1];
        int subscribers = Integer.parseInt(args[2]);
        boolean oneProcessOnly = args.length > 3 && args[3].equals("one");
        startSmtpSink();
        startTwilioStub();

        long self = ProcessHandle.current().pid();
        long benchCpu = cpuMicros(self);
        double smtpCeiling = smtpCeiling(Duration.ofSeconds(5));
        double smtpCeilingCpu = (cpuMicros(self) - benchCpu) / (smtpCeiling * 5);
        benchCpu = cpuMicros(self);
        double twilioCeiling = twilioCeiling(Duration.ofSeconds(5));
        double twilioCeilingCpu = (cpuMicros(self) - benchCpu) / (twilioCeiling * 5);
        System.out.printf("ceiling  smtp sink %.0f msg/s, twilio stub %.0f msg/s (plain clients, %d connections)%n",
                smtpCeiling, twilioCeiling, CONCURRENCY);
        System.out.printf("         CPU per message of plain client and sink together: smtp %.0f us, twilio %.0f us%n",
                smtpCeilingCpu, twilioCeilingCpu);

        // --- rate limits off: the backlog, and a critical incident behind it; one service process, then two
        Path profile = Path.of("target", "bench-delivery.jfr");
        Files.deleteIfExists(profile);
        FanOut one = fanOut(jar, jdbcUrl, subscribers, 1, smtpCeiling, twilioCeiling, profile);
        ProfileSplit.print(profile, one.startedAt(), one.endedAt(), one.serviceCpuMicros(), one.jitCpuMicros(), 2L * subscribers);
        if (oneProcessOnly) {
            System.exit(0);
        }
        FanOut two = fanOut(jar, jdbcUrl, subscribers, 2, smtpCeiling, twilioCeiling, null);
        System.out.printf("scaling 1 -> 2 service processes on the same database: time to everyone %.1f s -> %.1f s"
                + " (x%.2f), email x%.2f, sms x%.2f%n", one.seconds(), two.seconds(), one.seconds() / two.seconds(),
                two.emailRate() / one.emailRate(), two.smsRate() / one.smsRate());

        // --- rate limits on: 100 SMS segments per second, 100 emails per second
        Process service = startService(jar, jdbcUrl, "100", "100");
        try {
            String scope = "component:paced-" + UUID.randomUUID().toString().substring(0, 8);
            importSubscribers(scope, 5000, "p");
            emails.set(0);
            sms.set(0);
            segments.set(0);
            declare("major", scope);
            long e0 = 0, s0 = 0, g0 = 0, t0 = 0;
            long began = System.nanoTime();
            // measured over 20 s, from 3 s after both channels started
            while (t0 == 0 || System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos()) {
                Thread.sleep(100);
                if (t0 == 0 && emails.get() > 0 && sms.get() > 0 && firstBoth == 0) {
                    firstBoth = System.nanoTime();
                }
                if (t0 == 0 && firstBoth > 0 && System.nanoTime() - firstBoth > Duration.ofSeconds(3).toNanos()) {
                    t0 = System.nanoTime();
                    e0 = emails.get();
                    s0 = sms.get();
                    g0 = segments.get();
                }
                if (System.nanoTime() - began > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("paced sending did not start: " + emails.get() + " emails, " + sms.get() + " SMS");
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double emailRate = (emails.get() - e0) / seconds;
            double segmentRate = (segments.get() - g0) / seconds;
            System.out.printf("rate limit 100/s, measured over %.0f s of steady sending:%n", seconds);
            System.out.printf("  email %.1f msg/s (%+.1f%%)%n", emailRate, emailRate - 100);
            System.out.printf("  sms   %.1f segments/s (%+.1f%%), %.1f msg/s%n", segmentRate, segmentRate - 100,
                    (sms.get() - s0) / seconds);
        } finally {
            stop(service);
        }
        System.exit(0);
    }

    /** What one fan-out measured. */
    record FanOut(double seconds, double emailRate, double smsRate, long serviceCpuMicros, long jitCpuMicros, java.time.Instant startedAt,
            java.time.Instant endedAt) {
    }

    /**
     * 2 x subscribers notifications of a minor incident with rate limits off, sent by {@code processes}
     * service processes on one database, and a critical incident declared behind that backlog.
     * With a {@code profile} path the (first) service records a JFR profile there.
     */
    static FanOut fanOut(String jar, String jdbcUrl, int subscribers, int processes, double smtpCeiling,
            double twilioCeiling, Path profile) throws Exception {
        List<Process> services = new ArrayList<>();
        services.add(startService(SERVICE_PORT, jar, jdbcUrl, "0", "0", profile == null ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + profile + ",settings=profile,dumponexit=true")));
        long[] updatesBefore = null; // notification rows updated and how many HOT, at the measured fan-out's start
        try {
            for (int i = 1; i < processes; i++) {
                services.add(startService(SERVICE_PORT + i, jar, jdbcUrl, "0", "0", List.of()));
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            warmUp(services, processes, Math.max(1000, subscribers / 5), run);
            String scope = "component:bench-" + run;
            String vip = "component:vip-" + run; // one critical recipient per fan-out, however many came before
            importSubscribers(scope, subscribers, "b");
            importSubscribers(vip, 1, "vip");
            emails.set(0);
            sms.set(0);
            long cpuBefore = cpuMicros(services);
            long jitBefore = jitCpuMicros(services);
            long postgresBefore = postgresCpuMicros();
            updatesBefore = notificationUpdates(jdbcUrl);
            long self = ProcessHandle.current().pid();
            long sinkBefore = cpuMicros(self);
            java.time.Instant startedAt = java.time.Instant.now();
            long start = System.nanoTime();
            String minor = declare("minor", scope);
            long target = 2L * subscribers;
            long[] firstAt = {0, 0};
            long[] doneAt = {0, 0};
            boolean criticalSent = false;
            String critical = null;
            while (doneAt[0] == 0 || doneAt[1] == 0 || !criticalSent) {
                long now = System.nanoTime();
                long e = emails.get();
                long s = sms.get();
                // the minor incident's messages plus the critical incident's one per channel
                track(e, subscribers + 1, now, firstAt, doneAt, 0);
                track(s, subscribers + 1, now, firstAt, doneAt, 1);
                if (critical == null && e + s >= subscribers / 10) {
                    // the minor backlog is queued and going out: a critical incident now
                    long declared = System.nanoTime();
                    critical = declare("critical", vip);
                    while (!criticalSent) {
                        criticalSent = sent(critical) > 0;
                        if (!criticalSent) {
                            Thread.sleep(5);
                        }
                    }
                    System.out.printf("[%d process%s] critical first message out %.2f s after it was declared, with %d of"
                            + " %d minor notifications still queued (target: within 2 s)%n", processes,
                            processes == 1 ? "" : "es", (System.nanoTime() - declared) / 1e9,
                            target - emails.get() - sms.get(), target);
                }
                if (System.nanoTime() - start > Duration.ofMinutes(20).toNanos()) {
                    throw new IllegalStateException("not done after 20 minutes: " + e + " emails, " + s + " SMS");
                }
                Thread.sleep(20);
            }
            java.time.Instant endedAt = java.time.Instant.now();
            long cpu = cpuMicros(services) - cpuBefore;
            long jitCpu = jitCpuMicros(services) - jitBefore;
            long postgresCpu = postgresCpuMicros() - postgresBefore;
            long sinkCpu = cpuMicros(self) - sinkBefore;
            double seconds = (Math.max(doneAt[0], doneAt[1]) - start) / 1e9;
            double emailRate = (subscribers + 1) / ((doneAt[0] - firstAt[0]) / 1e9);
            double smsRate = (subscribers + 1) / ((doneAt[1] - firstAt[1]) / 1e9);
            System.out.printf("[%d process%s] %d notifications of %s, rate limits off: time to everyone %.1f s (from the"
                    + " declaration to the last message)%n", processes, processes == 1 ? "" : "es", target, minor, seconds);
            System.out.printf("  email %.0f msg/s = %.0f%% of the sink's ceiling%n", emailRate, 100 * emailRate / smtpCeiling);
            System.out.printf("  sms   %.0f msg/s = %.0f%% of the stub's ceiling%n", smsRate, 100 * smsRate / twilioCeiling);
            System.out.printf("  service CPU %.0f us per message (planning, rendering, sending, recording; %d cores),"
                    + " of which JIT compilation %.0f us%n", (double) cpu / target, Runtime.getRuntime().availableProcessors(),
                    (double) jitCpu / target);
            System.out.printf("  PostgreSQL CPU %.0f us per message; sink and stub (this JVM) %.0f us per message%n",
                    (double) postgresCpu / target, (double) sinkCpu / target);
            System.out.printf("  sends recorded per transaction: %.1f on average%n", sendsPerRecord(processes));
            System.out.printf("  received: %d emails, %d SMS for %d + 1 subscribers (%d duplicates or losses)%n",
                    emails.get(), sms.get(), subscribers, Math.abs(emails.get() - subscribers - 1) + Math.abs(sms.get() - subscribers - 1));
            return new FanOut(seconds, emailRate, smsRate, cpu, jitCpu, startedAt, endedAt);
        } finally {
            for (Process service : services) {
                stop(service);
            }
            if (updatesBefore != null) {
                // read once the services' connections closed: a backend flushes its counts when it exits
                long[] after = notificationUpdates(jdbcUrl);
                long updates = after[0] - updatesBefore[0];
                System.out.printf("  notification rows updated: %d, of which HOT (no index entry written) %.0f%%%n",
                        updates, updates == 0 ? 0 : 100.0 * (after[1] - updatesBefore[1]) / updates);
            }
        }
    }

    /** Updates of the notification table and how many were HOT, from PostgreSQL's statistics (by psql). */
    static long[] notificationUpdates(String jdbcUrl) throws Exception {
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc",
                "select n_tup_upd || ' ' || n_tup_hot_upd from pg_stat_user_tables where relname = 'notification'")
                .redirectErrorStream(true).start();
        String[] counts = new String(psql.getInputStream().readAllBytes()).strip().split(" ");
        psql.waitFor();
        return new long[] { Long.parseLong(counts[0]), Long.parseLong(counts[1]) };
    }

    /**
     * A smaller fan-out on the freshly started services, so that the measured one sees the code
     * compiled as a service that has been running a while would: a fresh JVM spends a good part of
     * its first minute in the JIT compiler, a fixed cost that would otherwise be spread over, and
     * swamp, the per-message cost of 100k messages. Prints what that first fan-out cost.
     */
    static void warmUp(List<Process> services, int processes, int subscribers, String run) throws Exception {
        String scope = "component:warm-" + run;
        importSubscribers(scope, subscribers, "w");
        emails.set(0);
        sms.set(0);
        long cpuBefore = cpuMicros(services);
        long jitBefore = jitCpuMicros(services);
        long start = System.nanoTime();
        declare("minor", scope);
        while (emails.get() < subscribers || sms.get() < subscribers) {
            if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                throw new IllegalStateException("warm-up not done after 10 minutes: " + emails.get() + " emails, " + sms.get() + " SMS");
            }
            Thread.sleep(20);
        }
        long target = 2L * subscribers;
        System.out.printf("[%d process%s] warm-up on fresh JVMs: %d notifications in %.1f s, service CPU %.0f us per message,"
                + " of which JIT compilation %.0f us%n", processes, processes == 1 ? "" : "es", target,
                (System.nanoTime() - start) / 1e9, (double) (cpuMicros(services) - cpuBefore) / target,
                (double) (jitCpuMicros(services) - jitBefore) / target);
    }

    /** CPU time of the services' JIT compiler threads (C1 and C2). */
    static long jitCpuMicros(List<Process> services) throws IOException {
        long total = 0;
        for (Process service : services) {
            try (var tasks = Files.list(Path.of("/proc/" + service.pid() + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (name.contains("CompilerThre")) {
                            total += cpuMicrosOf(stat);
                        }
                    } catch (java.nio.file.NoSuchFileException ended) {
                        // a compiler thread that ended meanwhile
                    }
                }
            }
        }
        return total;
    }

    /** The services' mean of comms_delivery_sends_per_record (the group commit's group size). */
    static double sendsPerRecord(int processes) throws Exception {
        double sum = 0;
        double count = 0;
        for (int i = 0; i < processes; i++) {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (SERVICE_PORT + i) + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            sum += metric(metrics, "comms_delivery_sends_per_record_sum");
            count += metric(metrics, "comms_delivery_sends_per_record_count");
        }
        return count == 0 ? 0 : sum / count;
    }

    static double metric(String metrics, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    static long cpuMicros(List<Process> processes) throws IOException {
        long total = 0;
        for (Process process : processes) {
            total += cpuMicros(process.pid());
        }
        return total;
    }

    static long firstBoth;

    static void track(long count, int expected, long now, long[] firstAt, long[] doneAt, int i) {
        if (firstAt[i] == 0 && count > 0) {
            firstAt[i] = now;
        }
        if (doneAt[i] == 0 && count >= expected) {
            doneAt[i] = now;
        }
    }

    // ---------------------------------------------------------------- the service

    static Process startService(String jar, String jdbcUrl, String smsRate, String emailRate) throws Exception {
        return startService(SERVICE_PORT, jar, jdbcUrl, smsRate, emailRate, List.of());
    }

    static Process startService(int port, String jar, String jdbcUrl, String smsRate, String emailRate, List<String> jvmOptions)
            throws Exception {
        Path log = Path.of("target", "bench-delivery-service.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Dcomms.access.bootstrap-admin-key=" + KEY, "-Dcomms.events.relay.enabled=false",
                "-Dmp.messaging.incoming.disruption-events.enabled=false",
                "-Dcomms.audience.self-service.token-secret=bench-secret",
                "-Dcomms.audience.channel-policy.sms-severities=critical,major,minor",
                "-Dquarkus.mailer.host=127.0.0.1", "-Dquarkus.mailer.port=" + SMTP_PORT,
                "-Dcomms.sms.twilio.account-sid=" + ACCOUNT, "-Dcomms.sms.twilio.auth-token=bench-token",
                "-Dcomms.sms.twilio.from-number=+15005550006",
                "-Dcomms.sms.twilio.base-url=http://127.0.0.1:" + TWILIO_PORT,
                "-Dcomms.delivery.dispatcher.concurrency=" + CONCURRENCY,
                "-Dcomms.delivery.rate.sms-segments-per-second=" + smsRate,
                "-Dcomms.delivery.rate.emails-per-second=" + emailRate,
                "-Dquarkus.log.category.\"io.incidentcomms.delivery\".level=WARN"));
        command.addAll(jvmOptions);
        // extra JVM options for the service, e.g. SERVICE_JAVA_OPTS=-XX:StartFlightRecording=filename=target/bench.jfr
        String extra = System.getenv("SERVICE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service died at start; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not get ready; see " + log);
    }

    static void stop(Process service) throws InterruptedException {
        service.destroy();
        service.waitFor(30, TimeUnit.SECONDS);
    }

    static String post(String path, String contentType, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVICE_PORT + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static int imports;

    static void importSubscribers(String scope, int n, String prefix) throws Exception {
        imports++;
        StringBuilder rows = new StringBuilder();
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < n; i++) {
            rows.append("{\"externalRef\":\"").append(prefix).append(run).append('-').append(i)
                    .append("\",\"email\":\"").append(prefix).append(i).append('.').append(run).append("@example.com\",")
                    .append("\"phone\":\"+4474").append(String.format("%08d", imports * 1_000_000L + i))
                    .append("\",\"smsConsent\":true,\"consentSource\":\"bench\",\"subscriptions\":[\"").append(scope).append("\"]}\n");
        }
        post("/api/subscribers/import", "application/x-ndjson", rows.toString());
    }

    static String declare(String severity, String scope) throws Exception {
        String body = post("/api/incidents", "application/json", """
                {"title": "Bench %s", "kind": "outage", "severity": "%s", "scopes": ["%s"],
                 "explain": {"en": "Payments fail for some cards. We are rerouting them."}}""".formatted(severity, severity, scope));
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        key.find();
        return key.group(1);
    }

    static long sent(String incidentKey) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVICE_PORT + "/api/incidents/"
                + incidentKey + "/summary")).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher sent = Pattern.compile("\"sent\"\\s*:\\s*(\\d+)").matcher(body);
        long total = 0;
        while (sent.find()) {
            total += Long.parseLong(sent.group(1));
        }
        return total;
    }

    /** CPU time of every PostgreSQL process on this machine (backends that exit in between are lost). */
    static long postgresCpuMicros() throws IOException {
        long total = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(process.resolve("comm")).strip().equals("postgres")) {
                        total += cpuMicros(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return total;
    }

    /** User plus system CPU time of a process, from /proc (Linux). */
    static long cpuMicros(long pid) throws IOException {
        return cpuMicrosOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** User and system CPU of a process or thread from its /proc stat line. */
    static long cpuMicrosOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000L / 100; // USER_HZ is 100 on Linux
    }

    /**
     * Where the service's CPU went during the fan-out, from its JFR execution samples: each sample
     * counts for the first of these its stack contains (database before the rest, since rendering and
     * sending call it too), and the top frames by samples.
     */
    static final class ProfileSplit {

        static final List<String[]> PARTS = List.of(
                new String[] { "database", "org.postgresql.", "io.agroal.", "org.hibernate.", "com.arjuna.",
                        "io.incidentcomms.delivery.NotificationQueue", "io.incidentcomms.delivery.Outcomes" },
                new String[] { "rendering", "io.incidentcomms.message.", "io.quarkus.qute.",
                        "io.incidentcomms.delivery.MessagePreparation" },
                // Netty: the Vert.x mail client's writes and reads run on its event loop, below no mail frame
                new String[] { "SMTP client", "io.vertx.ext.mail.", "io.incidentcomms.delivery.SmtpClient",
                        "io.incidentcomms.delivery.EmailSender", "io.netty." },
                new String[] { "HTTP client (Twilio)", "com.twilio.", "org.apache.hc.", "org.apache.http.",
                        "io.incidentcomms.delivery.TwilioHttpClient", "io.incidentcomms.delivery.SmsSender" });

        /**
         * JFR samples Java threads only, so the parts split the service's CPU without its JIT
         * compiler threads' (measured from /proc), which is shown as a part of its own.
         */
        static void print(Path recording, java.time.Instant from, java.time.Instant to, long serviceCpuMicros, long jitMicros,
                long messages) throws IOException {
            long cpuMicros = serviceCpuMicros - jitMicros;
            if (!Files.exists(recording)) {
                System.out.println("  (no profile: " + recording + " was not written)");
                return;
            }
            java.util.Map<String, Long> parts = new java.util.LinkedHashMap<>();
            java.util.Map<String, Long> frames = new java.util.HashMap<>();
            long total = 0;
            for (jdk.jfr.consumer.RecordedEvent event : jdk.jfr.consumer.RecordingFile.readAllEvents(recording)) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStartTime().isBefore(from)
                        || event.getStartTime().isAfter(to) || event.getStackTrace() == null) {
                    continue;
                }
                List<jdk.jfr.consumer.RecordedFrame> stack = event.getStackTrace().getFrames();
                total++;
                parts.merge(partOf(stack), 1L, Long::sum);
                if (!stack.isEmpty()) {
                    jdk.jfr.consumer.RecordedMethod leaf = stack.get(0).getMethod();
                    frames.merge(leaf.getType().getName() + "." + leaf.getName(), 1L, Long::sum);
                }
            }
            if (total == 0) {
                System.out.println("  (the profile holds no samples of the fan-out)");
                return;
            }
            System.out.printf("  profile (%s, %d samples): service CPU per message by part (percentages of the sampled Java threads)%n", recording, total);
            for (String[] part : PARTS) {
                long n = parts.getOrDefault(part[0], 0L);
                System.out.printf("    %-22s %5.1f%%  %4.0f us%n", part[0], 100.0 * n / total,
                        (double) cpuMicros / messages * n / total);
            }
            long rest = parts.getOrDefault("rest", 0L);
            System.out.printf("    %-22s %5.1f%%  %4.0f us%n", "rest", 100.0 * rest / total,
                    (double) cpuMicros / messages * rest / total);
            System.out.printf("    %-22s         %4.0f us (not sampled by JFR: measured from /proc)%n", "JIT compiler threads",
                    (double) jitMicros / messages);
            // half the messages are emails, half SMS: the work both share is split evenly, each client's is its channel's
            double perSample = (double) cpuMicros / messages / total;
            double shared = perSample * (parts.getOrDefault("database", 0L) + parts.getOrDefault("rendering", 0L) + rest);
            System.out.printf("  service CPU per email %.0f us, per SMS %.0f us without JIT compilation (shared work split"
                    + " evenly, each client's work on its own channel)%n", shared + 2 * perSample * parts.getOrDefault("SMTP client", 0L),
                    shared + 2 * perSample * parts.getOrDefault("HTTP client (Twilio)", 0L));
            System.out.println("  top frames (leaf methods by samples):");
            final long samples = total;
            frames.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                    .forEach(f -> System.out.printf("    %5.1f%%  %s%n", 100.0 * f.getValue() / samples, f.getKey()));
        }

        static String partOf(List<jdk.jfr.consumer.RecordedFrame> stack) {
            for (String[] part : PARTS) {
                for (jdk.jfr.consumer.RecordedFrame frame : stack) {
                    String type = frame.getMethod().getType().getName();
                    for (int i = 1; i < part.length; i++) {
                        if (type.startsWith(part[i])) {
                            return part[0];
                        }
                    }
                }
            }
            return "rest";
        }
    }

    // ---------------------------------------------------------------- the SMTP sink

    static void startSmtpSink() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", SMTP_PORT), 256);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket socket = server.accept();
                    Thread session = new Thread(() -> smtpSession(socket));
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The SMTP sink alone, for other benchmarks' clients (MailClientBenchmark), until stdin closes. */
    static void sinkOnly() throws IOException {
        startSmtpSink();
        System.out.println("sink ready on " + SMTP_PORT);
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the parent closes our stdin or ends us
        }
    }

    static void smtpSession(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
            answer(in, out, "220 sink ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    // PIPELINING as real servers offer it: the client may send MAIL, RCPT and DATA at once
                    case "EHLO" -> answer(in, out, "250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SIZE 10485760");
                    case "HELO" -> answer(in, out, "250 sink");
                    case "DATA" -> {
                        answer(in, out, "354 go ahead");
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            // the message is read and dropped
                        }
                        emails.incrementAndGet();
                        answer(in, out, "250 queued");
                    }
                    case "QUIT" -> {
                        answer(in, out, "221 bye");
                        return;
                    }
                    default -> answer(in, out, "250 ok");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /**
     * Replies as a server offering PIPELINING does: replies to commands that came together leave
     * together, flushed once no further command is waiting to be read.
     */
    static void answer(BufferedReader in, Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        if (!in.ready()) {
            out.flush();
        }
    }

    static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    static double smtpCeiling(Duration duration) throws Exception {
        String message = "Subject: ceiling\r\n\r\n" + "x".repeat(70).concat("\r\n").repeat(40);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        for (int t = 0; t < CONCURRENCY; t++) {
            pool.execute(() -> {
                try (Socket socket = new Socket("127.0.0.1", SMTP_PORT)) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
                    Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(socket.getOutputStream()));
                    in.readLine();
                    reply(out, "EHLO client");
                    String l;
                    while ((l = in.readLine()) != null && l.charAt(3) == '-') {
                        // multi-line greeting
                    }
                    while (!stop.get()) {
                        reply(out, "MAIL FROM:<a@example.com>");
                        in.readLine();
                        reply(out, "RCPT TO:<b@example.com>");
                        in.readLine();
                        reply(out, "DATA");
                        in.readLine();
                        out.write(message);
                        reply(out, ".");
                        in.readLine();
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        emails.set(0);
        return sent.get() / (duration.toMillis() / 1000.0);
    }

    // ---------------------------------------------------------------- the Twilio stub

    static void startTwilioStub() throws IOException {
        // without it, the JDK server's separate header and body writes meet delayed ACKs (40 ms a request)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", TWILIO_PORT), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/2010-04-01/Accounts/", DeliveryBenchmark::createMessage);
        server.start();
    }

    static void createMessage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String body = "";
            String to = "";
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq);
                if (name.equals("Body")) {
                    body = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } else if (name.equals("To")) {
                    to = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            sms.incrementAndGet();
            segments.addAndGet(segments(body));
            String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
            byte[] json = ("{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT + "\",\"to\":\"" + to
                    + "\",\"status\":\"queued\",\"num_segments\":\"" + segments(body) + "\",\"direction\":\"outbound-api\","
                    + "\"api_version\":\"2010-04-01\",\"uri\":\"/2010-04-01/Accounts/" + ACCOUNT + "/Messages/" + sid + ".json\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }

    /** GSM-7 when every character is ASCII (close enough for the bench's texts), else UCS-2. */
    static int segments(String body) {
        boolean gsm = body.chars().allMatch(c -> c < 128);
        int single = gsm ? 160 : 70;
        int multi = gsm ? 153 : 67;
        return body.length() <= single ? 1 : (body.length() + multi - 1) / multi;
    }

    static double twilioCeiling(Duration duration) throws Exception {
        String form = "To=%2B447400000001&From=%2B15005550006&Body=" + "x".repeat(150)
                + "&StatusCallback=http%3A%2F%2Flocalhost%2Fapi%2Ftwilio%2Fstatus";
        URI uri = URI.create("http://127.0.0.1:" + TWILIO_PORT + "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        for (int t = 0; t < CONCURRENCY; t++) {
            pool.execute(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (!stop.get()) {
                    try {
                        client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Authorization", "Basic QUM6dG9rZW4=").POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        sent.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        sms.set(0);
        segments.set(0);
        return sent.get() / (duration.toMillis() / 1000.0);
    }
}
