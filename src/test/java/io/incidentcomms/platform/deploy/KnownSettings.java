package io.incidentcomms.platform.deploy;

import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQConnectorIncomingConfiguration;

/**
 * The environment variables this service reads, as SmallRye Config matches them: every property
 * of our {@code @ConfigMapping}s (found on the class path), every property of the Quarkus
 * extensions in the application (from the configuration model each extension's jar carries), every
 * property the running configuration knows (application.properties), and the RabbitMQ connector's
 * attributes for each channel of ours.
 */
final class KnownSettings {

    private final Set<String> names = new HashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();

    static KnownSettings ofThisService() throws Exception {
        KnownSettings known = new KnownSettings();
        for (String property : ConfigProvider.getConfig().getPropertyNames()) {
            known.names.add(env(property.replaceFirst("^%[a-z-]+\\.", "")));
        }
        known.addQuarkusProperties();
        for (Class<?> mapping : configMappings()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            for (String path : ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, prefix)).keySet()) {
                if (path.contains("*")) {
                    known.patterns.add(Pattern.compile(Pattern.quote(env(path)).replace("*", "\\E[A-Z0-9_]+\\Q")));
                } else {
                    known.names.add(env(path));
                }
            }
        }
        for (String channel : List.of("DISRUPTION_EVENTS")) {
            for (Method getter : RabbitMQConnectorIncomingConfiguration.class.getMethods()) {
                if (getter.getName().startsWith("get") && getter.getParameterCount() == 0) {
                    known.connectorAttributes.add("MP_MESSAGING_INCOMING_" + channel + "_"
                            + getter.getName().substring(3).toUpperCase(Locale.ROOT));
                }
            }
        }
        return known;
    }

    /** Connector attributes, compared without their underscores (the getter names have none). */
    private final Set<String> connectorAttributes = new HashSet<>();

    /** Each extension's {@code META-INF/quarkus-config-doc/quarkus-config-model.json} names its variables. */
    private void addQuarkusProperties() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Enumeration<URL> models = KnownSettings.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        int extensions = 0;
        while (models.hasMoreElements()) {
            try (var in = models.nextElement().openStream()) {
                json.readTree(in).findValues("environmentVariable").forEach(node -> {
                    String variable = node.asText();
                    if (variable.contains("__")) {
                        // a map key ("datasource-name") sits between double underscores
                        patterns.add(Pattern.compile(Pattern.quote(variable).replaceAll("__[A-Z0-9_]+?__", "\\E_[A-Z0-9_]+_\\Q")));
                    } else {
                        names.add(variable);
                    }
                });
            }
            extensions++;
        }
        if (extensions < 10) {
            throw new AssertionError("found the configuration of only " + extensions + " Quarkus extensions");
        }
    }

    boolean reads(String variable) {
        if (names.contains(variable) || patterns.stream().anyMatch(p -> p.matcher(variable).matches())) {
            return true;
        }
        String channelPrefix = "MP_MESSAGING_INCOMING_DISRUPTION_EVENTS_";
        return variable.startsWith(channelPrefix) && connectorAttributes.contains(
                channelPrefix + variable.substring(channelPrefix.length()).replace("_", ""));
    }

    /** The environment variable SmallRye Config reads a property from. */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9*]", "_").toUpperCase(Locale.ROOT);
    }

    private static List<Class<?>> configMappings() throws Exception {
        List<Class<?>> mappings = new ArrayList<>();
        Enumeration<URL> roots = KnownSettings.class.getClassLoader().getResources("io/incidentcomms");
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if (!"file".equals(root.getProtocol())) {
                continue;
            }
            Path base = Path.of(root.toURI()).getParent().getParent();
            try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                    String name = base.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class<?> type = Class.forName(name, false, KnownSettings.class.getClassLoader());
                    if (type.isAnnotationPresent(ConfigMapping.class) && !mappings.contains(type)) {
                        mappings.add(type);
                    }
                }
            }
        }
        if (mappings.size() < 10) {
            throw new AssertionError("found too few config mappings: " + mappings);
        }
        return mappings;
    }
}
