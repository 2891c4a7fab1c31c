import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Status page benchmark (see status-page-benchmark.sh): 200 concurrent readers of the page and of
 * {@code /api/v2/summary.json}, each revalidating with the ETag of its last answer as a browser or
 * CDN does; alone, and during a fan-out of 100k notifications. Uses the delivery benchmark's SMTP
 * sink, Twilio stub and service launcher (compiled beside it).
 *
 * 1. Readers alone, back to back (what the service answers at saturation; latency is then mostly
 *    waiting: 200 readers / throughput) and with a pause between requests: requests/s, p50 and
 *    p99 per endpoint, the answers that were 304, CPU of the service and of this JVM.
 * 2. A fan-out alone (50k subscribers with email and SMS, rate limits off): its steady messages/s.
 * 3. The same fan-out with each kind of readers running: messages/s, and the readers' figures.
 *
 * Usage: java -cp target/bench StatusPageBenchmark <jar> <jdbc-url> <subscribers> <readers>
 */
public class StatusPageBenchmark {

    static final String BASE = "http://127.0.0.1:" + DeliveryBenchmark.SERVICE_PORT;
    static final String[] PATHS = { "/", "/api/v2/summary.json" };

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String jdbcUrl = args[1];
        int subscribers = Integer.parseInt(args[2]);
        int readers = Integer.parseInt(args[3]);
        DeliveryBenchmark.startSmtpSink();
        DeliveryBenchmark.startTwilioStub();
        Process service = DeliveryBenchmark.startService(jar, jdbcUrl, "0", "0");
        try {
            seedThePage();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Readers warmUp = new Readers(http, readers, 0);
            warmUp.start();
            Thread.sleep(30_000); // connections open, the service's code compiled (the JIT takes a core for a while)
            warmUp.stop();

            // --- readers alone: back to back (saturation), then each with a pause between requests
            for (long pause : new long[] { 0, PAUSE_MILLIS }) {
                Readers alone = new Readers(http, readers, pause);
                alone.start();
                Thread.sleep(2000);
                alone.measure(service.pid());
                Thread.sleep(15_000);
                alone.stop();
                alone.print("readers alone, " + alone.describe() + ", 15 s");
            }

            // --- the fan-out alone, then with each kind of readers
            Fanout quiet = fanOut(subscribers, null, service.pid());
            System.out.printf("fan-out alone: %s%n", quiet);
            for (long pause : new long[] { 0, PAUSE_MILLIS }) {
                Readers during = new Readers(http, readers, pause);
                during.start();
                Thread.sleep(2000);
                Fanout busy = fanOut(subscribers, during, service.pid());
                during.stop();
                during.print("readers during the fan-out, " + during.describe());
                System.out.printf("fan-out with these readers: %s = %.0f%% of the rate without them (target: at least 90%%)%n",
                        busy, 100 * busy.rate() / quiet.rate());
            }
        } finally {
            DeliveryBenchmark.stop(service);
        }
        System.exit(0);
    }

    /** A reader's pause between two requests in the paced runs (a browser left open refreshes far less often). */
    static final long PAUSE_MILLIS = 250;

    /** A fan-out's steady rate (from the 10th to the 90th percent of its messages) and its whole time. */
    record Fanout(long messages, double rate, double seconds) {
        @Override
        public String toString() {
            return String.format("%d notifications, %.0f msg/s steady (10%% to 90%% of them), all out in %.1f s", messages,
                    rate, seconds);
        }
    }

    /** Components in a group, an open incident and planned work: a page with something on it. */
    static void seedThePage() throws Exception {
        for (String name : List.of("checkout", "search", "login", "api", "mobile")) {
            put("/api/components/component:" + name, "{\"names\": {\"en\": \"" + name + "\"}, \"group\": \"Shop\"}");
        }
        DeliveryBenchmark.declare("major", "component:checkout");
    }

    /** Sends one incident to {@code subscribers} with email and SMS. */
    static Fanout fanOut(int subscribers, Readers readers, long servicePid) throws Exception {
        String scope = "component:fan-" + UUID.randomUUID().toString().substring(0, 8);
        DeliveryBenchmark.importSubscribers(scope, subscribers, "f");
        DeliveryBenchmark.emails.set(0);
        DeliveryBenchmark.sms.set(0);
        DeliveryBenchmark.declare("minor", scope);
        long target = 2L * subscribers;
        long first = 0;
        long at10 = 0;
        long at90 = 0;
        long began = System.nanoTime();
        long sent;
        while ((sent = DeliveryBenchmark.emails.get() + DeliveryBenchmark.sms.get()) < target) {
            long now = System.nanoTime();
            if (first == 0 && sent > 0) {
                first = now;
                if (readers != null) {
                    readers.measure(servicePid);
                }
            }
            if (at10 == 0 && sent >= target / 10) {
                at10 = now;
            }
            if (at90 == 0 && sent >= target * 9 / 10) {
                at90 = now;
            }
            if (now - began > Duration.ofMinutes(20).toNanos()) {
                throw new IllegalStateException("the fan-out did not finish in 20 minutes");
            }
            Thread.sleep(10);
        }
        return new Fanout(target, (target * 8 / 10) / ((at90 - at10) / 1e9), (System.nanoTime() - first) / 1e9);
    }

    static void put(String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Authorization", "Bearer " + DeliveryBenchmark.KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Reader threads, each alternating between the page and summary.json, revalidating with its last ETags. */
    static final class Readers {
        final HttpClient http;
        final int count;
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        final Recorder[] recorders = { new Recorder(), new Recorder() };
        final long pauseMillis;
        volatile long measuredFrom;
        long measuredUntil;
        long servicePid;
        long serviceCpuFrom;
        long serviceCpu;
        long ownCpuFrom;
        long ownCpu;
        final CountDownLatch stopped;

        Readers(HttpClient http, int count, long pauseMillis) {
            this.http = http;
            this.count = count;
            this.pauseMillis = pauseMillis;
            this.stopped = new CountDownLatch(count);
        }

        String describe() {
            return count + " concurrent, " + (pauseMillis == 0 ? "back to back" : pauseMillis + " ms between requests");
        }

        void start() {
            for (int t = 0; t < count; t++) {
                int offset = t;
                Thread thread = new Thread(() -> read(offset), "reader-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        /** From now on, answers count, and the CPU time of the service and of this JVM. */
        void measure(long pid) throws java.io.IOException {
            servicePid = pid;
            serviceCpuFrom = DeliveryBenchmark.cpuMicros(pid);
            ownCpuFrom = DeliveryBenchmark.cpuMicros(ProcessHandle.current().pid());
            measuredFrom = System.nanoTime();
        }

        void stop() throws Exception {
            measuredUntil = System.nanoTime();
            if (servicePid != 0) {
                serviceCpu = DeliveryBenchmark.cpuMicros(servicePid) - serviceCpuFrom;
                ownCpu = DeliveryBenchmark.cpuMicros(ProcessHandle.current().pid()) - ownCpuFrom;
            }
            running.set(false);
            stopped.await();
        }

        void read(int offset) {
            String[] etags = new String[PATHS.length];
            try {
                for (int i = offset; running.get(); i++) {
                    int which = i % PATHS.length;
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + PATHS[which]))
                            .header("Accept", which == 0 ? "text/html" : "application/json")
                            .timeout(Duration.ofSeconds(30));
                    if (etags[which] != null) {
                        request.header("If-None-Match", etags[which]);
                    }
                    long start = System.nanoTime();
                    int status;
                    try {
                        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                        status = response.statusCode();
                        response.headers().firstValue("ETag").ifPresent(e -> etags[which] = e);
                    } catch (java.io.IOException e) {
                        status = 0;
                    }
                    long end = System.nanoTime();
                    if (measuredFrom != 0 && start >= measuredFrom && running.get()) {
                        recorders[which].add(end - start, status);
                    }
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }

        void print(String title) {
            double seconds = (measuredUntil - measuredFrom) / 1e9;
            System.out.println(title + ":");
            for (int i = 0; i < PATHS.length; i++) {
                recorders[i].print(PATHS[i], seconds);
            }
            System.out.printf("  CPU over the run: service %.0f%%, readers and sink (this JVM) %.0f%% of one core; "
                    + "%d cores%n", serviceCpu / seconds / 1e4, ownCpu / seconds / 1e4,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** Latencies and statuses of one endpoint. */
    static final class Recorder {
        long[] latencies = new long[1 << 16];
        int size;
        int notModified;
        int ok;
        int failed;

        synchronized void add(long nanos, int status) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = nanos;
            if (status == 304) {
                notModified++;
            } else if (status == 200) {
                ok++;
            } else {
                failed++;
            }
        }

        synchronized void print(String path, double seconds) {
            long[] sorted = Arrays.copyOf(latencies, size);
            Arrays.sort(sorted);
            System.out.printf("  %-22s %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  (%d answers: %d x 304, %d x 200, %d failed; "
                    + "target p99 < 100 ms)%n", path, size / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), size,
                    notModified, ok, failed);
        }

        static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }
}
