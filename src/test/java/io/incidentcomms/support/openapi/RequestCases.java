package io.incidentcomms.support.openapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.engine.SourceOfRandomness;

/**
 * Requests for an operation, made from its schemas with jqwik's generators: well-formed ones
 * (values the schema and the field's meaning allow: a real time zone for {@code timeZone}, an
 * address for {@code email}) and malformed ones — a field of the wrong type, missing, unknown,
 * {@code null}, empty or huge, numbers on and past their bounds, enums and time zones that do
 * not exist, a body that is no JSON, the wrong content type, a body over the size limit, and
 * path and query parameters of the same kinds. Everything is drawn from one seeded source
 * ({@link #seeded}), so a failure can be repeated. jqwik's generators are used outside its own
 * engine (a Quarkus test must run under JUnit Jupiter), through {@link Arbitrary#sample()}.
 */
public final class RequestCases {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Larger than the service's body limit (256 KiB). */
    private static final int OVERSIZED = 300 * 1024;

    private final Map<String, String> knownPathValues;

    /** {@code knownPathValues}: values of path parameters that name something that exists (an incident key). */
    public RequestCases(Map<String, String> knownPathValues) {
        this.knownPathValues = knownPathValues;
    }

    /** One request for the operation: two in five well-formed, the rest with one fault each. */
    public RequestCase next(ApiOperation operation, Random random) {
        List<String> faults = new ArrayList<>(List.of("path-parameter"));
        if (operation.parameters().stream().anyMatch(p -> !"path".equals(p.getIn()))) {
            faults.add("query-parameter");
        }
        if (operation.mediaType() != null) {
            faults.addAll(List.of("body-not-json", "wrong-content-type", "oversized-body", "empty-body"));
            if (isJson(operation) && isObject(operation.bodySchema())) {
                faults.addAll(List.of("field-wrong-type", "field-missing", "field-unknown", "field-null",
                        "field-empty", "field-huge", "field-out-of-range", "field-invalid-value", "body-null",
                        "body-array"));
            }
        }
        if (random.nextInt(5) < 2) {
            return wellFormed(operation, random);
        }
        return faulty(operation, faults.get(random.nextInt(faults.size())), random);
    }

    public RequestCase wellFormed(ApiOperation operation, Random random) {
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Parameter parameter : operation.parameters()) {
            if ("query".equals(parameter.getIn()) && (Boolean.TRUE.equals(parameter.getRequired()) || random.nextBoolean())) {
                query.put(parameter.getName(), scalar(parameter.getName(), parameter.getSchema(), random));
            } else if ("header".equals(parameter.getIn()) && random.nextBoolean()) {
                headers.put(parameter.getName(), sample(Arbitraries.strings().alpha().numeric().ofMinLength(8)
                        .ofMaxLength(40), random));
            }
        }
        byte[] body = operation.mediaType() == null ? null : body(operation, random);
        if (body != null && operation.path().contains("{ref}") && isJson(operation)) {
            // the ref in the path names the subscriber; a body that names another is refused
            body = withoutField(body, "externalRef");
        }
        return new RequestCase("well-formed", path(operation, random, null), query, headers,
                contentType(operation), body, null, null);
    }

    private RequestCase faulty(ApiOperation operation, String fault, Random random) {
        RequestCase base = wellFormed(operation, random);
        return switch (fault) {
            case "path-parameter" -> {
                String broken = operation.parameters().stream().filter(p -> "path".equals(p.getIn()))
                        .map(Parameter::getName).findFirst().orElse(null);
                yield new RequestCase(fault, path(operation, random, broken), base.query(), base.headers(),
                        base.contentType(), base.body(), broken, base);
            }
            case "query-parameter" -> {
                List<Parameter> candidates = operation.parameters().stream().filter(p -> !"path".equals(p.getIn()))
                        .toList();
                Parameter parameter = candidates.get(random.nextInt(candidates.size()));
                Map<String, String> query = new LinkedHashMap<>(base.query());
                Map<String, String> headers = new LinkedHashMap<>(base.headers());
                (("query".equals(parameter.getIn())) ? query : headers).put(parameter.getName(),
                        malformedScalar(parameter.getSchema(), random));
                yield new RequestCase(fault, base.path(), query, headers, base.contentType(), base.body(),
                        parameter.getName(), base);
            }
            case "body-not-json" -> new RequestCase(fault, base.path(), base.query(), base.headers(), base.contentType(),
                    sample(Arbitraries.of("{", "{\"a\":", "[1,", "\u0000\u0001", "{'single': 'quotes'}", "nul", "}{",
                            "{\"a\": 1}}", "\"unterminated"), random).getBytes(StandardCharsets.UTF_8), null, base);
            case "wrong-content-type" -> new RequestCase(fault, base.path(), base.query(), base.headers(),
                    sample(Arbitraries.of("text/plain", "application/xml", "application/octet-stream",
                            "multipart/form-data; boundary=x", "image/png"), random),
                    base.body(), null, base);
            case "oversized-body" -> new RequestCase(fault, base.path(), base.query(), base.headers(),
                    base.contentType(), oversized(operation), null, base);
            case "empty-body" -> new RequestCase(fault, base.path(), base.query(), base.headers(), base.contentType(),
                    new byte[0], null, base);
            case "body-null" -> new RequestCase(fault, base.path(), base.query(), base.headers(), base.contentType(),
                    "null".getBytes(StandardCharsets.UTF_8), null, base);
            case "body-array" -> new RequestCase(fault, base.path(), base.query(), base.headers(), base.contentType(),
                    "[]".getBytes(StandardCharsets.UTF_8), null, base);
            default -> brokenField(operation, base, fault, random);
        };
    }

    /** A well-formed body with one top-level field made faulty. */
    private RequestCase brokenField(ApiOperation operation, RequestCase base, String fault, Random random) {
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(base.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Schema<?> schema = operation.bodySchema();
        Map<String, Schema> properties = properties(schema);
        List<String> names = new ArrayList<>(properties.keySet());
        if (names.isEmpty()) {
            names.add("anything");
        }
        String field = names.get(random.nextInt(names.size()));
        Schema<?> fieldSchema = properties.getOrDefault(field, new Schema<>());
        switch (fault) {
            case "field-wrong-type" -> body.set(field, wrongType(fieldSchema, random));
            case "field-missing" -> {
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                if (!required.isEmpty()) {
                    field = required.get(random.nextInt(required.size()));
                }
                body.remove(field);
            }
            case "field-unknown" -> {
                field = "zz" + sample(Arbitraries.strings().alpha().ofMinLength(3).ofMaxLength(12), random);
                body.put(field, sample(Arbitraries.strings().ofMaxLength(20), random));
            }
            case "field-null" -> body.putNull(field);
            case "field-empty" -> body.put(field, "");
            case "field-huge" -> body.put(field, "x".repeat(20_000 + random.nextInt(40_000)));
            case "field-out-of-range" -> body.set(field, outOfRange(fieldSchema, random));
            case "field-invalid-value" -> body.set(field, invalidValue(field, fieldSchema, random));
            default -> throw new IllegalArgumentException(fault);
        }
        // an optional field left out or null just means "not given": nothing for an answer to name
        boolean optional = schema.getRequired() == null || !schema.getRequired().contains(field);
        String named = optional && (fault.equals("field-missing") || fault.equals("field-null")) ? null : field;
        return new RequestCase(fault, base.path(), base.query(), base.headers(), base.contentType(),
                body.toString().getBytes(StandardCharsets.UTF_8), named, base);
    }

    private static byte[] withoutField(byte[] json, String field) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                object.remove(field);
            }
            return node.toString().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String path(ApiOperation operation, Random random, String broken) {
        String path = operation.path();
        for (Parameter parameter : operation.parameters()) {
            if (!"path".equals(parameter.getIn())) {
                continue;
            }
            String name = parameter.getName();
            String value;
            if (name.equals(broken)) {
                value = sample(Arbitraries.oneOf(Arbitraries.of("2147483648", "-1", "0", "99999999999999999999", "%00",
                        "..", "%2e%2e", "null", "undefined", "%20", "a%2Fb", "%E2%80%AE", "x".repeat(3000)),
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(60)
                                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8))), random);
            } else if (knownPathValues.containsKey(name) && random.nextInt(3) > 0) {
                value = URLEncoder.encode(knownPathValues.get(name), StandardCharsets.UTF_8);
            } else {
                value = URLEncoder.encode(scalar(name, parameter.getSchema(), random), StandardCharsets.UTF_8);
            }
            if (!name.equals(broken) && value.matches("[.]*")) {
                // "." and ".." are path segments of their own, not values: the path would name another resource
                value = "x" + value;
            }
            path = path.replace("{" + name + "}", value);
        }
        return path;
    }

    private static String contentType(ApiOperation operation) {
        if (operation.mediaType() == null) {
            return null;
        }
        return operation.mediaType().equals("*/*") ? "application/json" : operation.mediaType();
    }

    private static boolean isJson(ApiOperation operation) {
        return operation.mediaType().equals("application/json") || operation.mediaType().equals("*/*");
    }

    private byte[] body(ApiOperation operation, Random random) {
        String type = operation.mediaType();
        String text = switch (type) {
            case "application/json", "*/*" -> value("body", operation.bodySchema(), random, 0).toString();
            case "application/x-www-form-urlencoded" -> properties(operation.bodySchema()).entrySet().stream()
                    .filter(e -> random.nextInt(4) > 0)
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(scalar(e.getKey(), e.getValue(), random),
                            StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            case "application/x-ndjson" -> subscriberRows(random).stream().map(JsonNode::toString)
                    .collect(Collectors.joining("\n", "", "\n"));
            case "text/csv" -> "externalRef,email,subscriptions\n" + subscriberRows(random).stream()
                    .map(r -> r.get("externalRef").asText() + "," + r.get("email").asText() + ",component:robust")
                    .collect(Collectors.joining("\n", "", "\n"));
            default -> sample(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20).list()
                    .ofMinSize(1).ofMaxSize(5), random).stream().collect(Collectors.joining("\n", "", "\n"));
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<ObjectNode> subscriberRows(Random random) {
        List<ObjectNode> rows = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            ObjectNode row = NODES.objectNode();
            String ref = "robust-" + sample(Arbitraries.strings().alpha().numeric().ofLength(10), random);
            row.put("externalRef", ref);
            row.put("email", ref + "@example.com");
            row.set("subscriptions", NODES.arrayNode().add("component:robust"));
            rows.add(row);
        }
        return rows;
    }

    private static byte[] oversized(ApiOperation operation) {
        String filler = "x".repeat(OVERSIZED);
        String text = isJson(operation) ? "{\"filler\": \"" + filler + "\"}" : filler;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A well-formed JSON value for a schema; {@code name} is the field it is for. */
    JsonNode value(String name, Schema<?> schema, Random random, int depth) {
        if (schema == null) {
            return NODES.textNode(text(random));
        }
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            return value(name, schema.getOneOf().get(random.nextInt(schema.getOneOf().size())), random, depth);
        }
        String type = type(schema);
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                Map<String, Schema> properties = properties(schema);
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                properties.forEach((property, propertySchema) -> {
                    if (required.contains(property) || (depth < 3 && random.nextInt(3) > 0)) {
                        object.set(property, value(property, propertySchema, random, depth + 1));
                    }
                });
                if (properties.isEmpty() && schema.getAdditionalProperties() instanceof Schema<?> values) {
                    object.set(sample(Arbitraries.of("en", "de", "fr"), random), value(name, values, random, depth + 1));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int min = schema.getMinItems() == null ? 0 : schema.getMinItems();
                int max = Math.min(schema.getMaxItems() == null ? 3 : schema.getMaxItems(), min + 3);
                int size = min + random.nextInt(Math.max(1, max - min + 1));
                for (int i = 0; i < Math.max(size, name.equals("scopes") || name.equals("subscriptions") ? 1 : 0); i++) {
                    array.add(value(singular(name), schema.getItems(), random, depth + 1));
                }
                return array;
            }
            case "integer" -> {
                long min = schema.getMinimum() == null ? 0 : schema.getMinimum().longValue();
                long max = schema.getMaximum() == null ? 100 : schema.getMaximum().longValue();
                return NODES.numberNode(sample(Arbitraries.longs().between(min, Math.max(min, max)), random));
            }
            case "number" -> {
                return NODES.numberNode(sample(Arbitraries.doubles().between(0, 100), random));
            }
            case "boolean" -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.textNode(scalar(name, schema, random));
            }
        }
    }

    /** A well-formed scalar (as text) for a parameter or field of this name and schema. */
    String scalar(String name, Schema<?> schema, Random random) {
        if (schema != null && schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return String.valueOf(schema.getEnum().get(random.nextInt(schema.getEnum().size()))).toLowerCase();
        }
        String type = schema == null ? "string" : type(schema);
        if (type.equals("integer")) {
            long min = schema.getMinimum() == null ? 0 : schema.getMinimum().longValue();
            long max = schema.getMaximum() == null ? 100 : Math.min(schema.getMaximum().longValue(), min + 1000);
            return String.valueOf(sample(Arbitraries.longs().between(min, max), random));
        }
        if (type.equals("boolean")) {
            return String.valueOf(random.nextBoolean());
        }
        if (schema != null && "date-time".equals(schema.getFormat())) {
            return Instant.now().plus(1 + random.nextInt(72), ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return switch (name) {
            case "timeZone" -> sample(Arbitraries.of("Europe/Berlin", "UTC", "America/New_York", "Asia/Kolkata"), random);
            case "locale", "defaultLocale", "lang" -> sample(Arbitraries.of("en", "de", "fr"), random);
            case "email" -> "r" + random.nextInt(1_000_000) + "@example.com";
            case "phone" -> "+447400" + String.format("%06d", random.nextInt(1_000_000));
            case "scope", "scopes", "subscription", "subscriptions" ->
                "component:robust-" + sample(Arbitraries.strings().withCharRange('a', 'z').ofLength(4), random);
            case "quietHours" -> sample(Arbitraries.of("22:00-07:00", "23:30-06:15"), random);
            case "channel", "channelPreference" -> sample(Arbitraries.of("email", "sms"), random);
            case "severity" -> sample(Arbitraries.of("minor", "major", "critical"), random);
            case "state" -> sample(Arbitraries.of("investigating", "identified", "monitoring", "resolved"), random);
            case "kind" -> sample(Arbitraries.of("outage", "delay", "closure", "maintenance"), random);
            case "status" -> sample(Arbitraries.of("sent", "failed", "planned"), random);
            case "tier" -> sample(Arbitraries.of("standard", "priority"), random);
            case "role" -> sample(Arbitraries.of("ops", "events", "bounces"), random);
            case "code", "option" -> sample(Arbitraries.strings().withCharRange('A', 'Z').numeric().ofMinLength(1)
                    .ofMaxLength(6), random);
            case "from", "to" -> Instant.now().minus(random.nextInt(48), ChronoUnit.HOURS)
                    .truncatedTo(ChronoUnit.SECONDS).toString();
            case "name", "externalRef", "ref", "eventId", "externalId" ->
                "robust-" + sample(Arbitraries.strings().alpha().numeric().ofMinLength(4).ofMaxLength(16), random);
            default -> text(random);
        };
    }

    private static String text(Random random) {
        return sample(Arbitraries.strings().withCharRange('a', 'z').withCharRange('À', 'ÿ').withChars(' ', ',', '.')
                .ofMinLength(1).ofMaxLength(60).filter(s -> !s.isBlank()), random);
    }

    private static String malformedScalar(Schema<?> schema, Random random) {
        Arbitrary<String> overflow = Arbitraries.of("2147483648", "-2147483649", "9223372036854775808", "-1", "1e309",
                "NaN", "0x10", "1.5", "", " ", "+", "--1");
        Arbitrary<String> nonsense = Arbitraries.oneOf(Arbitraries.of("fax", "OUTAGE ", "Mars/Olympus", "SystemV/AST4",
                "1970-13-45T99:99:99Z", "yesterday", "%", "\u0000", "'; drop table incident; --", "x".repeat(1500),
                "x".repeat(6000)),
                Arbitraries.strings().ofMaxLength(40));
        return schema != null && type(schema).equals("integer") && random.nextBoolean() ? sample(overflow, random)
                : sample(nonsense, random);
    }

    private static JsonNode wrongType(Schema<?> schema, Random random) {
        return switch (type(schema)) {
            case "string" -> random.nextBoolean() ? NODES.numberNode(42) : NODES.arrayNode().add("x");
            case "integer", "number" -> NODES.textNode(sample(Arbitraries.of("many", "1O", "true"), random));
            case "boolean" -> NODES.textNode(sample(Arbitraries.of("yes please", "2"), random));
            case "array" -> NODES.textNode("not a list");
            default -> random.nextBoolean() ? NODES.numberNode(7) : NODES.booleanNode(true);
        };
    }

    private static JsonNode outOfRange(Schema<?> schema, Random random) {
        return switch (type(schema)) {
            case "integer", "number" -> NODES.numberNode(sample(Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE,
                    2_147_483_648L, -1L, 0L), random));
            case "array" -> {
                ArrayNode big = NODES.arrayNode();
                for (int i = 0; i < 2_000; i++) {
                    big.add("component:robust-" + i);
                }
                yield random.nextBoolean() ? big : NODES.arrayNode();
            }
            default -> NODES.textNode("y".repeat(5_000));
        };
    }

    private static JsonNode invalidValue(String field, Schema<?> schema, Random random) {
        if (field.equals("timeZone")) {
            return NODES.textNode(sample(Arbitraries.of("Mars/Olympus", "SystemV/AST4", "UTC+25", "Europe/",
                    "../etc/passwd"), random));
        }
        if (schema.getEnum() != null || "date-time".equals(schema.getFormat())) {
            return NODES.textNode(sample(Arbitraries.of("nonsense", "OUTAGE ", "2026-02-30T25:61:00Z", "0"), random));
        }
        return NODES.textNode(sample(Arbitraries.of("\u0000", "\r\nX-Injected: yes", "=HYPERLINK(\"http://x\")",
                "<script>alert(1)</script>", "\uD800"), random));
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Map<String, Schema> properties(Schema<?> schema) {
        if (schema == null || schema.getProperties() == null) {
            return Map.of();
        }
        return (Map) schema.getProperties();
    }

    private static boolean isObject(Schema<?> schema) {
        return schema != null && type(schema).equals("object");
    }

    /** The schema's type (OpenAPI 3.1 may give several; the first that is not null counts). */
    static String type(Schema<?> schema) {
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes().stream().filter(t -> !t.equals("null")).findFirst().orElse("string");
        }
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getProperties() != null ? "object" : "string";
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * The source of randomness for a run: jqwik's own for this thread, seeded, so that both the
     * choices made here and the values jqwik draws (edge cases among them) repeat with the seed.
     */
    public static Random seeded(long seed) {
        return SourceOfRandomness.create(String.valueOf(seed));
    }

    /** A value from a jqwik arbitrary, drawn from the seeded source ({@code random} is that source). */
    static <T> T sample(Arbitrary<T> arbitrary, Random random) {
        if (random != SourceOfRandomness.current()) {
            throw new IllegalStateException("Draw with the random of RequestCases.seeded(...)");
        }
        return arbitrary.sample();
    }
}
