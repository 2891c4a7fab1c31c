package io.incidentcomms.incident.ingest;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.incidentcomms.platform.problem.BeanValidation;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.support.Json;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validation;

/**
 * Any body a webhook source can send, once its signature checked out, ends in disruptions to
 * apply or in a 4xx problem — never in another exception (a 500, and the source retrying
 * forever). One target per format: generic events, Alertmanager, PagerDuty, Grafana, Datadog. Seeds in
 * {@code WebhookBodiesFuzzTestInputs/}; fuzz with {@code JAZZER_FUZZ=1} (see the README).
 */
class WebhookBodiesFuzzTest {

    record Source(IngestConfig.Format format, Map<String, String> scopeLabels, Map<String, String> severities,
            Map<String, String> serviceScopes) implements IngestConfig.Source {

        @Override
        public Optional<List<String>> secrets() {
            return Optional.of(List.of("secret"));
        }

        @Override
        public Optional<String> token() {
            return Optional.of("token");
        }

        @Override
        public Duration timestampTolerance() {
            return Duration.ofMinutes(5);
        }

        @Override
        public String signatureHeader() {
            return "X-Grafana-Alerting-Signature";
        }

        @Override
        public Optional<String> timestampHeader() {
            return Optional.empty();
        }
    }

    static final BeanValidation VALIDATION = new BeanValidation(Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator());
    static final Webhooks WEBHOOKS = new Webhooks(null, null, Json.likeTheService(), VALIDATION, Clock.systemUTC());

    static final Source GENERIC = new Source(IngestConfig.Format.GENERIC, Map.of(), Map.of(), Map.of());
    static final Source ALERTMANAGER = new Source(IngestConfig.Format.ALERTMANAGER,
            Map.of("region", "region", "service", "component"), Map.of("warning", "minor"), Map.of());
    static final Source PAGERDUTY = new Source(IngestConfig.Format.PAGERDUTY, Map.of(), Map.of(),
            Map.of("PABC123", "component:checkout"));
    static final Source GRAFANA = new Source(IngestConfig.Format.GRAFANA, Map.of("zone", "region"), Map.of(), Map.of());
    static final Source DATADOG = new Source(IngestConfig.Format.DATADOG, Map.of(), Map.of(), Map.of());

    @FuzzTest(maxDuration = "60s")
    void genericEvents(byte[] body) {
        readOrRefuse(GENERIC, body);
    }

    @FuzzTest(maxDuration = "60s")
    void alertmanagerNotifications(byte[] body) {
        readOrRefuse(ALERTMANAGER, body);
    }

    @FuzzTest(maxDuration = "60s")
    void pagerDutyWebhooks(byte[] body) {
        readOrRefuse(PAGERDUTY, body);
    }

    @FuzzTest(maxDuration = "60s")
    void grafanaNotifications(byte[] body) {
        readOrRefuse(GRAFANA, body);
    }

    @FuzzTest(maxDuration = "60s")
    void datadogNotifications(byte[] body) {
        readOrRefuse(DATADOG, body);
    }

    private static void readOrRefuse(Source source, byte[] body) {
        List<Intake> intakes;
        try {
            intakes = WEBHOOKS.intakes(source, body);
        } catch (ProblemException refused) {
            assertTrue(refused.toProblem("/api/hooks/x").status() / 100 == 4, "a refused body is a 4xx");
            return;
        } catch (ConstraintViolationException invalid) {
            return; // answered 400, naming the fields
        }
        for (Intake intake : intakes) {
            assertNotNull(intake.externalId(), "a disruption names what it is about");
            if (intake.intent() == Intake.Intent.OPEN && intake.declaration() != null) {
                try {
                    VALIDATION.requireValid(intake.declaration().get());
                } catch (ConstraintViolationException invalid) {
                    // answered 400, naming the fields
                }
            }
        }
    }
}
