import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast the console answers someone on call during a large incident: one incident sent to
 * {@code subscribers} people by email and SMS (2 notifications each), then each console page
 * requested one after another as a signed-in browser would, printing the median and the 90th
 * percentile per page. Target: the median under 100 ms.
 */
public class ConsoleBenchmark {

    static final String BASE = "http://127.0.0.1:" + DeliveryBenchmark.SERVICE_PORT;
    static final String PASSWORD = "bench-admin-password";
    static final int WARM_UP = 30;
    static final int MEASURED = 100;

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String jdbcUrl = args[1];
        int subscribers = Integer.parseInt(args[2]);
        DeliveryBenchmark.startSmtpSink();
        DeliveryBenchmark.startTwilioStub();
        Process service = DeliveryBenchmark.startService(jar, jdbcUrl, "0", "0",
                "-Dcomms.console.admin.password=" + PASSWORD, "-Dcomms.console.secure-cookie=false");
        try {
            String scope = "component:console-bench-" + UUID.randomUUID().toString().substring(0, 8);
            DeliveryBenchmark.importSubscribers(scope, subscribers, "c");
            long began = System.nanoTime();
            String key = DeliveryBenchmark.declare("major", scope);
            long target = 2L * subscribers;
            while (DeliveryBenchmark.emails.get() + DeliveryBenchmark.sms.get() < target) {
                if (System.nanoTime() - began > Duration.ofMinutes(20).toNanos()) {
                    throw new IllegalStateException("the fan-out did not finish in 20 minutes");
                }
                Thread.sleep(100);
            }
            System.out.printf("incident %s: %d notifications sent in %.0f s%n", key, target, (System.nanoTime() - began) / 1e9);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Session session = Session.signIn(http);
            Map<String, Page> pages = new LinkedHashMap<>();
            pages.put("incidents list", new Page("GET", "/console", null));
            pages.put("incident page", new Page("GET", "/console/incidents/" + key, null));
            pages.put("live delivery panel", new Page("GET", "/console/incidents/" + key + "/watch", null));
            pages.put("declare form", new Page("GET", "/console/incidents/new", null));
            pages.put("update preview (counts the audience)", new Page("POST", "/console/incidents/" + key + "/updates/preview",
                    "explain.en=" + URLEncoder.encode("We are rerouting card payments.", StandardCharsets.UTF_8)
                            + "&notify=on"));
            System.out.printf("%-40s %10s %10s %10s%n", "page (" + MEASURED + " requests one after another)", "median", "p90",
                    "max");
            for (Map.Entry<String, Page> page : pages.entrySet()) {
                long[] nanos = new long[MEASURED];
                for (int i = 0; i < WARM_UP + MEASURED; i++) {
                    long start = System.nanoTime();
                    session.send(page.getValue());
                    if (i >= WARM_UP) {
                        nanos[i - WARM_UP] = System.nanoTime() - start;
                    }
                }
                Arrays.sort(nanos);
                System.out.printf("%-40s %8.1f ms %8.1f ms %8.1f ms%s%n", page.getKey(), nanos[MEASURED / 2] / 1e6,
                        nanos[MEASURED * 9 / 10] / 1e6, nanos[MEASURED - 1] / 1e6,
                        nanos[MEASURED / 2] < 100_000_000 ? "" : "   (target: median under 100 ms)");
            }
        } finally {
            DeliveryBenchmark.stop(service);
        }
        System.exit(0);
    }

    record Page(String method, String path, String form) {
    }

    record Session(HttpClient http, String cookie, String csrf) {

        static Session signIn(HttpClient http) throws Exception {
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(BASE + "/console/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow(
                    () -> new IllegalStateException("sign-in answered " + signedIn.statusCode())).split(";")[0];
            String page = http.send(HttpRequest.newBuilder(URI.create(BASE + "/console")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">").matcher(page);
            if (!csrf.find()) {
                throw new IllegalStateException("no CSRF token on the console page");
            }
            return new Session(http, cookie, csrf.group(1));
        }

        void send(Page page) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + page.path())).header("Cookie", cookie);
            if (page.method().equals("POST")) {
                request.header("Content-Type", "application/x-www-form-urlencoded").header("HX-Request", "true")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&" + page.form()));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(page.path() + " answered " + response.statusCode() + ": "
                        + response.body().substring(0, Math.min(300, response.body().length())));
            }
        }
    }
}
