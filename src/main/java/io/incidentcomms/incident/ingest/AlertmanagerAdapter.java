package io.incidentcomms.incident.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.incidentcomms.incident.DeclareIncident;
import io.incidentcomms.incident.IncidentKind;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.PostUpdate;
import io.incidentcomms.incident.Severity;

/**
 * Prometheus Alertmanager webhooks: one incident per alert fingerprint. An alert's event identity
 * is fingerprint + status + startsAt, so the re-send every {@code repeat_interval} is a duplicate,
 * while a re-fire (new startsAt) is news.
 */
final class AlertmanagerAdapter {

    private AlertmanagerAdapter() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Payload(String version, String status, String groupKey, List<Alert> alerts) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
            String endsAt, String fingerprint, String generatorURL) {
    }

    static List<Intake> intakes(Payload payload, IngestConfig.Source source) {
        List<Intake> intakes = new ArrayList<>();
        if (payload.alerts() == null) {
            return intakes;
        }
        for (Alert alert : payload.alerts()) {
            if (alert == null || alert.fingerprint() == null || alert.fingerprint().isBlank()) {
                continue;
            }
            Map<String, String> labels = alert.labels() == null ? Map.of() : alert.labels();
            Map<String, String> annotations = alert.annotations() == null ? Map.of() : alert.annotations();
            String eventKey = alert.fingerprint() + "|" + alert.status() + "|" + alert.startsAt();
            boolean resolved = "resolved".equalsIgnoreCase(alert.status());
            String alertName = AlertLabels.given(labels, "alertname", "alert");
            String title = AlertLabels.given(annotations, "summary", alertName);
            String text = AlertLabels.given(annotations, "description", title);
            Map<String, String> explain = Map.of("en", resolved ? "Resolved: " + title : text);
            Severity severity = AlertLabels.severity(labels.get("severity"), source);
            List<String> scopes = AlertLabels.scopes(labels, source, AlertLabels.given(labels, "alertname", "unknown"));
            PostUpdate update = resolved ? PostUpdate.stateChange(null, explain, true)
                    : new PostUpdate(null, severity, scopes, explain, null, "en", null, null, null, null, null, true, false,
                            null, null, null);
            intakes.add(new Intake(eventKey, alert.fingerprint(),
                    resolved ? Intake.Intent.RESOLVE : Intake.Intent.OPEN,
                    () -> new DeclareIncident(LocalizedText.of(AlertLabels.truncate(title, 200)), IncidentKind.OUTAGE, severity,
                            scopes, null, null, IngestionService.parseInstant(alert.startsAt()), null, explain, null, "en",
                            null, null, null, null, null, true, false, null),
                    update));
        }
        return intakes;
    }
}
