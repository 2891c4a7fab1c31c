package io.incidentcomms.platform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.incidentcomms.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code k8s/monitoring}: every alert and every dashboard panel asks for metrics this service
 * exports (a renamed metric would leave an alert that never fires), and the rules pass
 * {@code promtool check rules} where promtool is installed (.ci/run installs it when it can).
 */
@QuarkusTest
class MonitoringTest {

    static final Path RULES = Path.of("k8s/monitoring/alert-rules.yaml");
    static final Path DASHBOARD = Path.of("k8s/monitoring/incident-comms-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bcomms_[a-z_]+\\b");

    @Test
    void everyAlertNamesMetricsTheServiceExportsAndSaysWhatToDo() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        assertEquals("PrometheusRule", rules.path("kind").asText());
        Set<String> exported = new TreeSet<>(Metrics.families());
        Set<String> alerts = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (JsonNode group : rules.at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                alerts.add(alert);
                assertTrue(rule.at("/annotations/summary").isTextual() && rule.at("/annotations/description").isTextual(),
                        alert + " says what happened and what to do");
                assertTrue(Set.of("warning", "critical").contains(rule.at("/labels/severity").asText()), alert + " has a severity");
                Set<String> named = metricsIn(rule.path("expr").asText());
                assertTrue(!named.isEmpty(), alert + " names a metric");
                named.stream().filter(m -> !exported.contains(m)).forEach(m -> unknown.add(alert + ": " + m));
            }
        }
        assertEquals(List.of(), unknown, "metrics the service does not export");
        assertTrue(alerts.containsAll(Set.of("CommsQueueDepthRising", "CommsPromiseAtRisk", "CommsChannelHeld",
                "CommsUncertainSends", "CommsRelayBacklog", "CommsDeadlinesFailing")), alerts.toString());
        promtoolChecks(rules.path("spec"));
    }

    @Test
    void everyDashboardPanelNamesMetricsTheServiceExports() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> exported = new TreeSet<>(Metrics.families());
        List<String> unknown = new ArrayList<>();
        int targets = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                targets++;
                metricsIn(target.path("expr").asText()).stream().filter(m -> !exported.contains(m))
                        .forEach(m -> unknown.add(panel.path("title").asText() + ": " + m));
            }
        }
        assertTrue(targets >= 8, "the dashboard has its panels: " + targets);
        assertEquals(List.of(), unknown, "metrics the service does not export");
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** promtool reads plain rule files: the PrometheusRule's spec is one. */
    private static void promtoolChecks(JsonNode spec) throws Exception {
        if (!isOnPath("promtool")) {
            System.out.println("promtool is not installed: the rules were checked against the exported metrics only");
            return;
        }
        Path plain = Files.createTempFile("alert-rules-", ".yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(plain.toFile(), spec);
        Process promtool = new ProcessBuilder("promtool", "check", "rules", plain.toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check rules: " + output);
        System.out.println("promtool check rules: " + output.strip());
    }

    private static boolean isOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
