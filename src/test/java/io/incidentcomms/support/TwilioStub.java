package io.incidentcomms.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server speaking Twilio's Messages API (create), for the real Twilio SDK: Basic auth
 * with the account SID and token, form-encoded To / From or MessagingServiceSid / Body /
 * StatusCallback, a 201 message resource or Twilio's error body. Answers can be scripted.
 */
public final class TwilioStub implements AutoCloseable {

    public static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    public static final String AUTH_TOKEN = "test-twilio-token";

    /** One scripted answer: an HTTP status, a Twilio error code, and whether the message is created anyway. */
    public record Answer(int status, Integer code, long delayMillis, boolean creates) {
        public static Answer created() {
            return new Answer(201, null, 0, true);
        }

        public static Answer error(int status, int code) {
            return new Answer(status, code, 0, false);
        }

        public static Answer serverError() {
            return new Answer(500, 20500, 0, false);
        }

        /** Creates the message, then answers 500 anyway. */
        public static Answer createdButServerError() {
            return new Answer(500, 20500, 0, true);
        }

        /** Creates the message, then answers too late for the client. */
        public static Answer acceptedButSlow(long delayMillis) {
            return new Answer(201, null, delayMillis, true);
        }
    }

    public record Received(Map<String, String> form, String authorization) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final Map<String, ConcurrentLinkedQueue<Answer>> scriptPerNumber = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Received> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, Object>> created = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean listUnavailable;
    private volatile FaultMix faultMix;

    /**
     * Answers for requests the script does not cover, drawn at random: a 500 (not created), a 429
     * (not created), or a message created but answered after {@code hangMillis} (too late for the
     * client); the rest are created at once.
     */
    public record FaultMix(double serverErrors, double throttled, double hangs, long hangMillis, java.util.Random random) {
        Answer draw() {
            double roll;
            synchronized (random) {
                roll = random.nextDouble();
            }
            if (roll < serverErrors) {
                return Answer.serverError();
            }
            if (roll < serverErrors + throttled) {
                return Answer.error(429, 20429);
            }
            if (roll < serverErrors + throttled + hangs) {
                return Answer.acceptedButSlow(hangMillis);
            }
            return Answer.created();
        }
    }

    /** From now on, unscripted requests fail at random by this mix (null: all succeed). */
    public void faults(FaultMix mix) {
        faultMix = mix;
    }

    /** How many messages were created for each notification (its id is in the status callback URL). */
    public Map<Long, Integer> createdPerNotification() {
        Map<Long, Integer> counts = new java.util.HashMap<>();
        synchronized (created) {
            for (Map<String, Object> message : created) {
                Object callback = message.get("status_callback_for_test");
                java.util.regex.Matcher id = callback == null ? null
                        : java.util.regex.Pattern.compile("notification=(\\d+)").matcher(callback.toString());
                if (id != null && id.find()) {
                    counts.merge(Long.parseLong(id.group(1)), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    public TwilioStub(int port) throws IOException {
        // without it, the JDK server's separate header and body writes meet delayed ACKs (40 ms a request)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.start();
    }

    public void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** Answers for messages to one number only; other numbers get the general script. */
    public void scriptFor(String to, Answer... answers) {
        scriptPerNumber.computeIfAbsent(to, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(answers));
    }

    public List<Received> requests() {
        return List.copyOf(requests);
    }

    public List<Map<String, Object>> created() {
        return List.copyOf(created);
    }

    /** Whether the Messages list (the look-up of uncertain SMS) answers 503 from now on. */
    public void listUnavailable(boolean unavailable) {
        listUnavailable = unavailable;
    }

    /** The numbers the Messages list was asked about, one per look-up. */
    public List<String> lookups() {
        return List.copyOf(lookups);
    }

    public void reset() {
        listUnavailable = false;
        lookups.clear();
        script.clear();
        scriptPerNumber.clear();
        requests.clear();
        created.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String expected = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Received(form, authorization));
            if ("GET".equals(exchange.getRequestMethod()) && path.equals(expected)) {
                list(exchange);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !path.equals(expected)) {
                respond(exchange, 404, error(20404, "The requested resource was not found", 404));
                return;
            }
            String basic = "Basic " + Base64.getEncoder()
                    .encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(authorization)) {
                respond(exchange, 401, error(20003, "Authenticate", 401));
                return;
            }
            if (form.get("To") == null || (form.get("From") == null && form.get("MessagingServiceSid") == null)
                    || form.get("Body") == null) {
                respond(exchange, 400, error(21604, "A 'To', 'From' and 'Body' are required", 400));
                return;
            }
            ConcurrentLinkedQueue<Answer> forNumber = scriptPerNumber.get(form.get("To"));
            Answer answer = forNumber != null && !forNumber.isEmpty() ? forNumber.poll() : script.poll();
            if (answer == null) {
                FaultMix mix = faultMix;
                answer = mix == null ? Answer.created() : mix.draw();
            }
            Map<String, Object> message = null;
            if (answer.creates()) {
                message = message(form);
                created.add(message);
            }
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            if (answer.status() == 201) {
                respond(exchange, 201, toJson(message));
            } else {
                // as Twilio does, the error names the number it is about
                respond(exchange, answer.status(), error(answer.code(), "Scripted failure for the 'To' number " + form.get("To"),
                        answer.status()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Messages list, filtered by To (the only filter the service uses besides a date). */
    private void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery() == null ? ""
                : exchange.getRequestURI().getRawQuery());
        String to = query.get("To");
        lookups.add(to);
        if (listUnavailable) {
            respond(exchange, 503, error(20503, "Service unavailable", 503));
            return;
        }
        List<String> messages = new ArrayList<>();
        synchronized (created) {
            for (Map<String, Object> message : created) {
                if (to == null || to.equals(message.get("to"))) {
                    messages.add(toJson(message));
                }
            }
        }
        String uri = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
        respond(exchange, 200, "{\"messages\":[" + String.join(",", messages) + "],\"uri\":\"" + uri
                + "\",\"first_page_uri\":\"" + uri + "\",\"next_page_uri\":null,\"previous_page_uri\":null,"
                + "\"page\":0,\"page_size\":50,\"start\":0,\"end\":" + Math.max(0, messages.size() - 1) + "}");
    }

    private static Map<String, Object> message(Map<String, String> form) {
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("sid", sid);
        message.put("account_sid", ACCOUNT_SID);
        message.put("to", form.get("To"));
        message.put("from", form.get("From"));
        message.put("messaging_service_sid", form.get("MessagingServiceSid"));
        message.put("body", form.get("Body"));
        message.put("status", "queued");
        message.put("num_segments", "1");
        message.put("direction", "outbound-api");
        message.put("api_version", "2010-04-01");
        message.put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + ".json");
        message.put("status_callback_for_test", form.get("StatusCallback"));
        return message;
    }

    private static String toJson(Map<String, Object> message) {
        StringBuilder json = new StringBuilder("{");
        message.forEach((key, value) -> {
            if (key.endsWith("_for_test")) {
                return;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":").append(value == null ? "null"
                    : "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"");
        });
        return json.append('}').toString();
    }

    private static String error(Integer code, String message, int status) {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
                + code + "\",\"status\":" + status + "}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        // tests start a stub per class on one port: pooled connections to an earlier one must not be reused
        exchange.getResponseHeaders().add("Connection", "close");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException clientGone) {
            // the client stopped waiting (a timeout test); the message exists all the same
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    /** The JSON keys of a 201 answer, for checking against Twilio's published schema. */
    public static List<String> answerFields() {
        return List.copyOf(message(Map.of("To", "+1", "From", "+1", "Body", "x")).keySet().stream()
                .filter(k -> !k.endsWith("_for_test")).toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
