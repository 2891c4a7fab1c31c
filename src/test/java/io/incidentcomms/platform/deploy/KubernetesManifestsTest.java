package io.incidentcomms.platform.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Every overlay under {@code k8s/overlays}, rendered by {@code kubectl kustomize} as a user would
 * apply it, read document by document and held to what the service needs and what a cluster
 * reviewer would ask: probes on the real health paths, only settings the service reads, secrets by
 * reference, Pod Security {@code restricted}, a grace period longer than the shutdown, the message
 * templates mounted whole where the service looks for them.
 */
@QuarkusTest
class KubernetesManifestsTest {

    static final Path OVERLAYS = Path.of("k8s/overlays");
    static final Path TEMPLATES = Path.of("templates");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|_KEY|JDBC_URL|CREDENTIAL).*");

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            List<String> names = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
            assertTrue(names.containsAll(List.of("dev", "production")), "overlays: " + names);
            return names.stream();
        }
    }

    /** The overlay as {@code kubectl kustomize} renders it, one node per document. */
    static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render the manifests (.ci/run installs it): " + e.getMessage());
        }
        byte[] out = kubectl.getInputStream().readAllBytes();
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS) && kubectl.exitValue() == 0, "kubectl kustomize " + overlay + " failed");
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(new String(out, StandardCharsets.UTF_8))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && !doc.isEmpty()) {
                    documents.add(doc);
                }
            });
        }
        assertFalse(documents.isEmpty());
        return documents;
    }

    static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode deployment(List<JsonNode> documents) {
        List<JsonNode> deployments = ofKind(documents, "Deployment");
        assertEquals(1, deployments.size(), "one Deployment");
        return deployments.get(0);
    }

    static JsonNode container(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheHealthPathsTheServiceAnswers(String overlay) throws Exception {
        JsonNode container = container(deployment(render(overlay)));
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe);
            int status = given().get(container.at("/" + probe + "/httpGet/path").asText()).statusCode();
            assertEquals(200, status, probe + " answers here");
        }
        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        JsonNode monitor = ofKind(render(overlay), "ServiceMonitor").get(0);
        String metrics = monitor.at("/spec/endpoints/0/path").asText();
        assertEquals(200, given().get(metrics).statusCode(), "Prometheus scrapes " + metrics);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySettingTheManifestsGiveIsOneTheServiceReads(String overlay) throws Exception {
        List<JsonNode> documents = render(overlay);
        JsonNode container = container(deployment(documents));
        Set<String> given = new TreeSet<>();
        container.path("env").forEach(env -> given.add(env.path("name").asText()));
        for (JsonNode source : container.path("envFrom")) {
            String name = source.at("/configMapRef/name").asText();
            ofKind(documents, "ConfigMap").stream().filter(c -> c.at("/metadata/name").asText().equals(name))
                    .forEach(c -> c.path("data").fieldNames().forEachRemaining(given::add));
        }
        assertTrue(given.size() > 5, "settings found: " + given);
        KnownSettings known = KnownSettings.ofThisService();
        List<String> unknown = given.stream().filter(name -> !known.reads(name)).toList();
        assertEquals(List.of(), unknown, "settings the service does not read");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreReferencedNeverWrittenIntoTheManifests(String overlay) throws Exception {
        List<JsonNode> documents = render(overlay);
        assertEquals(List.of(), ofKind(documents, "Secret"), "no Secret is rendered from git");
        JsonNode container = container(deployment(documents));
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (SECRET_LIKE.matcher(name).matches()) {
                assertTrue(env.at("/valueFrom/secretKeyRef/name").isTextual(), name + " comes from a Secret");
            }
        }
        for (JsonNode config : ofKind(documents, "ConfigMap")) {
            config.path("data").fieldNames().forEachRemaining(key -> assertFalse(SECRET_LIKE.matcher(key).matches(),
                    key + " in ConfigMap " + config.at("/metadata/name").asText() + " belongs in a Secret"));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePodMeetsPodSecurityRestricted(String overlay) throws Exception {
        JsonNode pod = deployment(render(overlay)).at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertNotEquals(0, pod.at("/securityContext/runAsUser").asInt(0), "not uid 0");
        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());
        assertFalse(pod.path("hostNetwork").asBoolean() || pod.path("hostPID").asBoolean() || pod.path("hostIPC").asBoolean());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "no API token in the pod");
        for (JsonNode volume : pod.path("volumes")) {
            assertTrue(volume.path("hostPath").isMissingNode(), "no hostPath volume: " + volume);
        }
        for (JsonNode container : pod.path("containers")) {
            JsonNode security = container.path("securityContext");
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation false");
            assertFalse(security.path("privileged").asBoolean(false));
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), "read-only root filesystem");
            List<String> dropped = new ArrayList<>();
            security.at("/capabilities/drop").forEach(c -> dropped.add(c.asText()));
            assertTrue(dropped.contains("ALL"), "all capabilities dropped");
            assertTrue(security.at("/capabilities/add").isMissingNode(), "none added");
            assertTrue(mountPaths(container).contains("/tmp"), "a writable /tmp (emptyDir)");
            String tmpVolume = mountOf(container, "/tmp");
            assertTrue(volumeNamed(pod, tmpVolume).has("emptyDir"), "/tmp is an emptyDir");
            assertTrue(container.at("/resources/requests/cpu").isTextual() && container.at("/resources/limits/memory").isTextual(),
                    "requests and a memory limit");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void replicasOutliveADrainAndTheGracePeriodCoversTheShutdown(String overlay) throws Exception {
        List<JsonNode> documents = render(overlay);
        JsonNode deployment = deployment(documents);
        assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "at least two replicas");
        assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1), "maxUnavailable 0");
        assertTrue(ofKind(documents, "HorizontalPodAutoscaler").get(0).at("/spec/minReplicas").asInt() >= 2);
        assertTrue(ofKind(documents, "PodDisruptionBudget").get(0).at("/spec/minAvailable").asInt() >= 1);
        assertTrue(deployment.at("/spec/template/spec/topologySpreadConstraints").size() >= 1, "spread over nodes");
        assertEquals(1, ofKind(documents, "NetworkPolicy").size());

        Duration shutdown = ConfigProvider.getConfig().getValue("quarkus.shutdown.timeout", Duration.class);
        long preStop = container(deployment).at("/lifecycle/preStop/sleep/seconds").asLong(0);
        long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace > preStop + shutdown.toSeconds(), "grace " + grace + " s > preStop " + preStop
                + " s + shutdown timeout " + shutdown.toSeconds() + " s");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theMessageTemplatesAreMountedWholeWhereTheServiceLooksForThem(String overlay) throws Exception {
        List<JsonNode> documents = render(overlay);
        JsonNode deployment = deployment(documents);
        JsonNode container = container(deployment);
        String folder = settingsOf(documents, container).get("COMMS_MESSAGES_TEMPLATES_DIR");
        assertTrue(folder != null && folder.startsWith("/"), "COMMS_MESSAGES_TEMPLATES_DIR is set: " + folder);
        List<String> locales;
        try (Stream<Path> dirs = Files.list(TEMPLATES)) {
            locales = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertTrue(locales.size() >= 3, "locales: " + locales);
        for (String locale : locales) {
            String mount = folder + "/" + locale;
            String volume = mountOf(container, mount);
            assertTrue(volume != null, locale + " is mounted at " + mount);
            String configMap = volumeNamed(deployment.at("/spec/template/spec"), volume).at("/configMap/name").asText();
            JsonNode map = ofKind(documents, "ConfigMap").stream()
                    .filter(c -> c.at("/metadata/name").asText().equals(configMap)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap));
            Set<String> files = new TreeSet<>();
            try (Stream<Path> paths = Files.list(TEMPLATES.resolve(locale))) {
                paths.forEach(p -> files.add(p.getFileName().toString()));
            }
            Set<String> keys = new TreeSet<>();
            map.path("data").fieldNames().forEachRemaining(keys::add);
            assertEquals(files, keys, "ConfigMap " + configMap + " holds every file of templates/" + locale);
            for (String file : files) {
                assertEquals(Files.readString(TEMPLATES.resolve(locale).resolve(file)), map.at("/data/" + file).asText(),
                        locale + "/" + file);
            }
        }
        for (JsonNode mount : container.path("volumeMounts")) {
            String path = mount.path("mountPath").asText();
            if (path.startsWith(folder + "/")) {
                assertTrue(locales.contains(path.substring(folder.length() + 1)), "a mount for a language templates/ has: " + path);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePublicDoorOpensNoOpsPath(String overlay) throws Exception {
        List<JsonNode> ingresses = ofKind(render(overlay), "Ingress");
        assertEquals(2, ingresses.size());
        JsonNode publicDoor = ingresses.stream().filter(i -> i.at("/metadata/name").asText().endsWith("-public")).findFirst().orElseThrow();
        JsonNode opsDoor = ingresses.stream().filter(i -> i.at("/metadata/name").asText().endsWith("-ops")).findFirst().orElseThrow();
        List<String> publicPaths = paths(publicDoor);
        for (String opsPath : List.of("/console", "/console/users", "/api/incidents", "/api/keys", "/api/subscribers/export",
                "/q/metrics", "/q/swagger-ui")) {
            assertFalse(publicPaths.stream().anyMatch(p -> p.equals("/") ? opsPath.equals("/") : opsPath.startsWith(p)),
                    opsPath + " is not behind the public door: " + publicPaths);
        }
        assertTrue(publicPaths.containsAll(List.of("/", "/api/v2", "/subscribe", "/self-service", "/m", "/api/twilio")), publicPaths.toString());
        assertTrue(paths(opsDoor).containsAll(List.of("/console", "/api")), paths(opsDoor).toString());
        for (String page : List.of("/", "/history", "/feed.atom", "/feed.rss", "/badge.svg", "/api/v2/summary.json",
                "/subscribe", "/assets/customer.css")) {
            assertTrue(publicPaths.stream().anyMatch(p -> p.equals(page) || (!p.equals("/") && page.startsWith(p + "/"))
                    || (!p.equals("/") && page.equals(p))), page + " is behind the public door");
            assertNotEquals(404, given().redirects().follow(false).get(page).statusCode(), page + " is a page of the service");
        }
    }

    @Test
    void theProductionOverlayRunsOnOperatorManagedClusters() throws Exception {
        List<JsonNode> documents = render("production");
        JsonNode postgres = ofKind(documents, "Cluster").get(0);
        assertEquals("postgresql.cnpg.io/v1", postgres.path("apiVersion").asText());
        assertTrue(postgres.at("/spec/instances").asInt() >= 3);
        assertTrue(postgres.at("/spec/minSyncReplicas").asInt() >= 1, "a synchronous standby");
        JsonNode rabbit = ofKind(documents, "RabbitmqCluster").get(0);
        assertTrue(rabbit.at("/spec/replicas").asInt() >= 3);
        JsonNode container = container(deployment(documents));
        Map<String, String> settings = settingsOf(documents, container);
        assertEquals("quorum", settings.get("MP_MESSAGING_INCOMING_DISRUPTION_EVENTS_QUEUE_X_QUEUE_TYPE"));
        Set<String> secrets = new TreeSet<>();
        container.path("env").forEach(e -> {
            if (e.at("/valueFrom/secretKeyRef/name").isTextual()) {
                secrets.add(e.at("/valueFrom/secretKeyRef/name").asText());
            }
        });
        assertTrue(secrets.contains(postgres.at("/metadata/name").asText() + "-app"), "the database secret CloudNativePG makes: " + secrets);
        assertTrue(secrets.contains(rabbit.at("/metadata/name").asText() + "-default-user"), "the broker secret the operator makes: " + secrets);
    }

    private static List<String> paths(JsonNode ingress) {
        List<String> paths = new ArrayList<>();
        ingress.at("/spec/rules").forEach(rule -> rule.at("/http/paths").forEach(p -> paths.add(p.path("path").asText())));
        return paths;
    }

    private static Map<String, String> settingsOf(List<JsonNode> documents, JsonNode container) {
        Map<String, String> settings = new java.util.HashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String name = source.at("/configMapRef/name").asText();
            ofKind(documents, "ConfigMap").stream().filter(c -> c.at("/metadata/name").asText().equals(name))
                    .forEach(c -> c.path("data").fields().forEachRemaining(f -> settings.put(f.getKey(), f.getValue().asText())));
        }
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                settings.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return settings;
    }

    private static List<String> mountPaths(JsonNode container) {
        List<String> paths = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
        return paths;
    }

    private static String mountOf(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount.path("name").asText();
            }
        }
        return null;
    }

    private static JsonNode volumeNamed(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
