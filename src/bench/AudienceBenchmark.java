import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives a running service (see audience-benchmark.sh): imports N generated subscribers through
 * the streaming import, declares two incidents (one matching 1% of them, one matching all) and
 * streams each incident's full audience, printing rows/s and recipients/s.
 * Runs as a single source file: java src/bench/AudienceBenchmark.java BASE_URL KEY N
 */
public class AudienceBenchmark {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        int n = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        // warm-up: a freshly started JVM runs interpreted code; these rows match neither incident
        HttpResponse<String> warmUp = importRows(http, base, key, new Subscribers("warmup", WARM_UP_ROWS));
        check(warmUp, "warm-up import");
        if (number(warmUp.body(), "imported") != WARM_UP_ROWS) {
            throw new IllegalStateException("warm-up import: " + warmUp.body());
        }
        System.out.printf("size=%d warm-up: %d rows that match neither incident imported first%n", n, WARM_UP_ROWS);

        long start = System.nanoTime();
        HttpResponse<String> imported = importRows(http, base, key, new Subscribers("bench", n));
        double importSeconds = (System.nanoTime() - start) / 1e9;
        check(imported, "import");
        long importedRows = number(imported.body(), "imported");
        if (importedRows != n) {
            throw new IllegalStateException("imported " + importedRows + " of " + n + ": " + imported.body());
        }
        System.out.printf("size=%d import: %d rows in %.1f s = %.0f rows/s%n", n, importedRows, importSeconds,
                importedRows / importSeconds);

        // what every resolution request costs before its first recipient: an audience of nobody
        resolve(http, base, key, n, "none", "minor", "[\"location:nowhere\"]");
        resolve(http, base, key, n, "1%", "minor", "[\"location:store-042\"]");
        resolve(http, base, key, n, "all", "major", "[\"component:app\", \"region:eu-0\", \"region:eu-2\"]");
    }

    static final int WARM_UP_ROWS = 50_000;
    static final int MIN_WARM_UP_RESOLUTIONS = 3;
    static final int MAX_WARM_UP_RESOLUTIONS = 200;
    static final long WARM_UP_NANOS = 3_000_000_000L;
    static final int MIN_TIMED_RESOLUTIONS = 5;
    static final int MAX_TIMED_RESOLUTIONS = 500;
    static final long TIMING_NANOS = 2_000_000_000L;

    static HttpResponse<String> importRows(HttpClient http, String base, String key, Subscribers rows) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/subscribers/import"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                .timeout(Duration.ofMinutes(20))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> rows)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void resolve(HttpClient http, String base, String key, int n, String label, String severity, String scopes)
            throws Exception {
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(base + "/api/incidents"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"title": "Benchmark %s", "kind": "outage", "severity": "%s", "scopes": %s,
                         "explain": {"en": "benchmark"}, "draft": true}""".formatted(label, severity, scopes)))
                .build(), HttpResponse.BodyHandlers.ofString());
        check(declared, "declare");
        Matcher incident = Pattern.compile("\"key\":\"([^\"]+)\"").matcher(declared.body());
        incident.find();
        String incidentKey = incident.group(1);
        // warm-up: a freshly started JVM runs interpreted code; the timed runs measure the steady state
        repeat(MIN_WARM_UP_RESOLUTIONS, MAX_WARM_UP_RESOLUTIONS, WARM_UP_NANOS, () -> stream(http, base, key, incidentKey));
        // at least five timed runs and at least 2 s of them: a small audience's single run is noise
        long[] recipientsSeen = new long[1];
        java.util.List<Double> runs = repeat(MIN_TIMED_RESOLUTIONS, MAX_TIMED_RESOLUTIONS, TIMING_NANOS,
                () -> recipientsSeen[0] = stream(http, base, key, incidentKey));
        long recipients = recipientsSeen[0];
        double[] seconds = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int timed = seconds.length;
        double median = seconds[timed / 2];
        if (recipients == 0) {
            System.out.printf("size=%d resolve %-4s: no recipients in %.4f s (median of %d): the fixed cost of a resolution"
                    + " request (HTTP, key, incident, query planning and execution)%n", n, label, median, timed);
            return;
        }
        System.out.printf("size=%d resolve %-4s: %d recipients in %.3f s (median of %d; fastest %.3f s, slowest %.3f s)"
                + " = %.0f recipients/s%n", n, label, recipients, median, timed, seconds[0],
                seconds[timed - 1], recipients / median);
    }

    interface Run {
        void run() throws Exception;
    }

    /** Runs at least {@code min} times and for at least {@code nanos}, at most {@code max} times; returns each run's seconds. */
    static java.util.List<Double> repeat(int min, int max, long nanos, Run run) throws Exception {
        java.util.List<Double> seconds = new java.util.ArrayList<>();
        long begin = System.nanoTime();
        while (seconds.size() < max && (seconds.size() < min || System.nanoTime() - begin < nanos)) {
            long start = System.nanoTime();
            run.run();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        return seconds;
    }

    /** Streams an incident's whole audience and counts the recipients (one JSON line each). */
    static long stream(HttpClient http, String base, String key, String incidentKey) throws Exception {
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                URI.create(base + "/api/incidents/" + incidentKey + "/audience/recipients"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofMinutes(20)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long recipients = 0;
        try (InputStream in = stream.body()) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        recipients++;
                    }
                }
            }
        }
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("audience stream answered " + stream.statusCode());
        }
        return recipients;
    }

    static void check(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Generated subscribers, as JSON lines, produced while the request is sent. Mixed scopes: each
     * is at one of 100 stores (exact), and either in a region (exact), any region (whole kind) or
     * on the app component; a fifth have an SMS-consenting phone.
     */
    static final class Subscribers extends InputStream {
        private final String prefix;
        private final int n;
        private int next;
        private byte[] line = new byte[0];
        private int position;

        Subscribers(String prefix, int n) {
            this.prefix = prefix;
            this.n = n;
        }

        private boolean fill() {
            if (position < line.length) {
                return true;
            }
            if (next >= n) {
                return false;
            }
            int i = next++;
            // plain appends: String.format would make this generator the bottleneck on a small machine
            StringBuilder b = new StringBuilder(256);
            b.append("{\"externalRef\": \"").append(prefix).append('-').append(i).append("\", \"name\": \"Subscriber ").append(i)
                    .append("\", \"locale\": \"").append(i % 3 == 0 ? "de" : "en")
                    .append("\", \"timeZone\": \"Europe/Berlin\", \"email\": \"s").append(i).append("@example.com\"");
            if (i % 5 == 0) {
                b.append(", \"phone\": \"+1415555").append(String.valueOf(10000 + i % 10000).substring(1))
                        .append("\", \"smsConsent\": true, \"consentSource\": \"benchmark\"");
            }
            b.append(", \"subscriptions\": [\"location:store-").append(String.valueOf(1000 + i % 100).substring(1)).append("\", \"");
            if (prefix.equals("warmup")) {
                b.setLength(b.lastIndexOf("[") + 1);
                b.append("\"component:benchmark-warm-up");
            } else if (i % 2 == 0) {
                b.append("region:eu-").append(i % 4);
            } else {
                b.append(i % 10 == 1 ? "region:*" : "component:app");
            }
            b.append("\"]}\n");
            line = b.toString().getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            return fill() ? line[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!fill()) {
                return -1;
            }
            int total = 0;
            while (total < len && fill()) {
                int chunk = Math.min(len - total, line.length - position);
                System.arraycopy(line, position, b, off + total, chunk);
                position += chunk;
                total += chunk;
            }
            return total;
        }
    }
}
