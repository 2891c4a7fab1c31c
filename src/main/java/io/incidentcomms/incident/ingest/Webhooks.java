package io.incidentcomms.incident.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.problem.Problem;
import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.problem.BeanValidation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Receives monitoring and ticketing webhooks: authenticates the source by the scheme its sender
 * can do, parses its format and applies each event. Each alert of an Alertmanager batch is applied
 * in a transaction of its own, so one bad alert does not hold back the others.
 */
@ApplicationScoped
public class Webhooks {

    static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
    static final String SIGNATURE_HEADER = "X-Signature";
    static final String PAGERDUTY_SIGNATURE_HEADER = "X-PagerDuty-Signature";

    private final IngestConfig config;
    private final IngestionService ingestion;
    private final ObjectMapper mapper;
    private final BeanValidation validation;
    private final Clock clock;

    Webhooks(IngestConfig config, IngestionService ingestion, ObjectMapper mapper, BeanValidation validation, Clock clock) {
        this.config = config;
        this.ingestion = ingestion;
        this.mapper = mapper;
        this.validation = validation;
        this.clock = clock;
    }

    public record Received(List<IngestionService.Result> results) {
    }

    /**
     * Everything that can be checked before the body is read: the source exists, its headers are
     * there and fresh, and a bearer token matches. Nothing of the body is read for a caller who
     * fails these.
     */
    public IngestConfig.Source admit(String sourceName, UnaryOperator<String> headers) {
        IngestConfig.Source source = config.sources().get(sourceName);
        if (source == null) {
            throw ProblemException.notFound("Webhook source " + sourceName);
        }
        switch (source.format()) {
            case GENERIC -> {
                String timestamp = headers.apply(TIMESTAMP_HEADER);
                if (timestamp == null || headers.apply(SIGNATURE_HEADER) == null) {
                    throw ProblemException.unauthorized("Missing " + TIMESTAMP_HEADER + " or " + SIGNATURE_HEADER);
                }
                requireFresh(source, signedAt(timestamp));
            }
            case PAGERDUTY -> {
                if (headers.apply(PAGERDUTY_SIGNATURE_HEADER) == null) {
                    throw ProblemException.unauthorized("Missing " + PAGERDUTY_SIGNATURE_HEADER);
                }
            }
            case ALERTMANAGER, DATADOG -> requireBearerToken(source, headers);
            case GRAFANA -> {
                if (source.secrets().filter(s -> !s.isEmpty()).isEmpty()) {
                    requireBearerToken(source, headers);
                } else {
                    if (headers.apply(source.signatureHeader()) == null) {
                        throw ProblemException.unauthorized("Missing " + source.signatureHeader());
                    }
                    if (source.timestampHeader().isPresent()) {
                        String timestamp = headers.apply(source.timestampHeader().get());
                        if (timestamp == null) {
                            throw ProblemException.unauthorized("Missing " + source.timestampHeader().get());
                        }
                        requireFresh(source, signedAt(timestamp));
                    }
                }
            }
        }
        return source;
    }

    private static void requireBearerToken(IngestConfig.Source source, UnaryOperator<String> headers) {
        String expected = source.token().orElseThrow(() -> misconfigured("token"));
        String authorization = headers.apply("Authorization");
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        if (!Signatures.constantTimeEquals(expected, given)) {
            throw ProblemException.unauthorized("The bearer token does not match");
        }
    }

    private void requireFresh(IngestConfig.Source source, Instant signedAt) {
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(source.timestampTolerance()))
                || signedAt.isAfter(now.plus(source.timestampTolerance()))) {
            throw ProblemException.unauthorized("The signature timestamp is outside the allowed tolerance");
        }
    }

    /** Unix seconds within the range an Instant can hold; anything else is no timestamp of a signer. */
    private static Instant signedAt(String timestamp) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw ProblemException.unauthorized(TIMESTAMP_HEADER + " must be Unix seconds");
        }
    }

    public Received receive(String sourceName, byte[] body, UnaryOperator<String> headers) {
        IngestConfig.Source source = admit(sourceName, headers);
        authenticate(source, body, headers);
        List<IngestionService.Result> results = new ArrayList<>();
        List<Intake> intakes = intakes(source, body);
        if (intakes.isEmpty() && (source.format() == IngestConfig.Format.PAGERDUTY
                || source.format() == IngestConfig.Format.DATADOG)) {
            // an event that says nothing new about a disruption (a renotification, say): answered, not acted on
            results.add(new IngestionService.Result(IngestionService.Outcome.IGNORED, null));
        }
        for (Intake intake : intakes) {
            results.add(ingestion.apply(sourceName, intake));
        }
        return new Received(results);
    }

    /**
     * What an authenticated body says, in the source's format: the disruptions to apply (none for
     * an event the service does not act on). A body that cannot be read is a 400 problem.
     * Untrusted input: this is fuzzed ({@code WebhookBodiesFuzzTest}).
     */
    List<Intake> intakes(IngestConfig.Source source, byte[] body) {
        return switch (source.format()) {
            case GENERIC -> List.of(validation.requireValid(parse(body, GenericEvent.class)).toIntake());
            // Grafana's webhook is Alertmanager's payload with fields of its own added
            case ALERTMANAGER, GRAFANA -> AlertmanagerAdapter.intakes(parse(body, AlertmanagerAdapter.Payload.class), source);
            case DATADOG -> {
                try {
                    yield DatadogAdapter.intakes(parse(body, JsonNode.class), source);
                } catch (IllegalArgumentException e) {
                    throw new ProblemException(400, "malformed-event", "Bad Request", e.getMessage());
                }
            }
            case PAGERDUTY -> {
                try {
                    Intake intake = PagerDutyAdapter.intake(parse(body, JsonNode.class), source);
                    yield intake == null ? List.of() : List.of(intake);
                } catch (IllegalArgumentException e) {
                    throw new ProblemException(400, "malformed-event", "Bad Request", e.getMessage());
                }
            }
        };
    }

    /** The generic event from the bus or the integration API: no signature, the caller is trusted. */
    public IngestionService.Result receiveTrusted(String sourceName, GenericEvent event) {
        return ingestion.apply(sourceName, validation.requireValid(event).toIntake());
    }

    public GenericEvent parseGeneric(byte[] body) {
        return parse(body, GenericEvent.class);
    }

    /** The checks that need the body: the signatures over it. */
    private void authenticate(IngestConfig.Source source, byte[] body, UnaryOperator<String> headers) {
        switch (source.format()) {
            case GENERIC -> {
                String timestamp = headers.apply(TIMESTAMP_HEADER);
                String signature = stripVersion(headers.apply(SIGNATURE_HEADER));
                byte[] signed = concat((timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8), body);
                if (!anySecretMatches(source, signed, List.of(signature))) {
                    throw ProblemException.unauthorized("The signature does not match");
                }
            }
            case PAGERDUTY -> {
                String header = headers.apply(PAGERDUTY_SIGNATURE_HEADER);
                List<String> given = new ArrayList<>();
                for (String part : header.split(",")) {
                    String trimmed = part.trim();
                    if (trimmed.startsWith("v1=")) {
                        given.add(trimmed.substring(3));
                    }
                }
                if (!anySecretMatches(source, body, given)) {
                    throw ProblemException.unauthorized("The signature does not match");
                }
            }
            case GRAFANA -> {
                if (source.secrets().filter(s -> !s.isEmpty()).isPresent()) {
                    String timestamp = source.timestampHeader().map(headers::apply).orElse(null);
                    byte[] signed = timestamp == null ? body
                            : concat((timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8), body);
                    if (!anySecretMatches(source, signed, List.of(headers.apply(source.signatureHeader()).trim()))) {
                        throw ProblemException.unauthorized("The signature does not match");
                    }
                }
            }
            case ALERTMANAGER, DATADOG -> {
                // admitted by its bearer token before the body was read
            }
        }
    }

    private boolean anySecretMatches(IngestConfig.Source source, byte[] signed, List<String> given) {
        List<String> secrets = source.secrets().filter(s -> !s.isEmpty()).orElseThrow(() -> misconfigured("secrets"));
        boolean match = false;
        for (String secret : secrets) {
            String expected = Hashes.hmacSha256Hex(secret, signed);
            for (String candidate : given) {
                // no early exit: every comparison runs in constant time and all of them run
                match |= Signatures.constantTimeEquals(expected, candidate.toLowerCase());
            }
        }
        return match;
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new ProblemException(400, "malformed-json", "Bad Request", "The body is JSON null, not an event");
            }
            return value;
        } catch (IOException e) {
            throw new ProblemException(400, "malformed-json", "Bad Request", "The body is not a valid " + type.getSimpleName().replace("Payload", "Alertmanager payload"));
        }
    }


    private static String stripVersion(String signature) {
        if (signature == null) {
            return null;
        }
        String trimmed = signature.trim();
        return trimmed.startsWith("v1=") ? trimmed.substring(3) : trimmed;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }


    private static ProblemException misconfigured(String property) {
        return new ProblemException(500, "source-misconfigured", "Internal Server Error",
                "This webhook source has no " + property + " configured");
    }

    static String problemType() {
        return Problem.type("unauthorized");
    }
}
