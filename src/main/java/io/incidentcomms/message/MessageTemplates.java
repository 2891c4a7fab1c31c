package io.incidentcomms.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.incident.MessageKind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * The message templates in use. They come from the configured folder (else the set packaged in
 * the jar), are linted before use — a broken set stops start-up, a broken reload keeps the
 * previous set — and every set used is kept in the database by version, so a published update
 * renders with the set it was published with, whatever was edited since.
 */
@ApplicationScoped
public class MessageTemplates {

    private static final Logger LOG = Logger.getLogger(MessageTemplates.class);
    private static final String PACKAGED = "message-templates/";

    public record ReloadResult(boolean changed, String version, List<String> problems) {
    }

    private final MessageConfig config;
    private final TemplateLint lint;
    private final EntityManager em;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Map<String, TemplateSet> versions = new ConcurrentHashMap<>();
    private volatile TemplateSet current;

    MessageTemplates(MessageConfig config, TemplateLint lint, EntityManager em, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.lint = lint;
        this.em = em;
        this.mapper = mapper;
        this.clock = clock;
    }

    void load(@Observes StartupEvent start) {
        TemplateSet set = TemplateSet.of(read());
        List<String> problems = lint.check(set);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The message templates are broken (" + source() + "):\n  "
                    + String.join("\n  ", problems));
        }
        use(set);
        LOG.infof("Message templates %s in use (%s)", set.version(), source());
    }

    public TemplateSet current() {
        return current;
    }

    /**
     * The set a published update pinned; the current one for updates published before pinning, or
     * pinned to a set of an older layout than this version of the service renders (a set from
     * before an upgrade that changed the sections every set must have).
     */
    public TemplateSet version(String version) {
        if (version == null) {
            return current;
        }
        TemplateSet pinned = versions.computeIfAbsent(version, v -> QuarkusTransaction.requiringNew().call(() -> {
            List<?> rows = em.createNativeQuery("select cast(files as text) from template_set where version = ?1")
                    .setParameter(1, v).getResultList();
            if (rows.isEmpty()) {
                throw new IllegalStateException("Template set " + v + " is not stored");
            }
            try {
                return TemplateSet.of(mapper.readValue((String) rows.get(0), new TypeReference<Map<String, String>>() {
                }));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Template set " + v + " cannot be read", e);
            }
        }));
        return pinned.hasSections(config.locales()) ? pinned : current;
    }

    /** Reads the templates again; a set that fails lint is not used and the current one stays. */
    public synchronized ReloadResult reload() {
        TemplateSet set = TemplateSet.of(read());
        if (set.version().equals(current.version())) {
            return new ReloadResult(false, current.version(), List.of());
        }
        List<String> problems = lint.check(set);
        if (!problems.isEmpty()) {
            LOG.warnf("Changed message templates fail lint; still using %s: %s", current.version(), problems);
            return new ReloadResult(false, current.version(), problems);
        }
        use(set);
        LOG.infof("Message templates %s in use (%s)", set.version(), source());
        return new ReloadResult(true, set.version(), List.of());
    }

    public List<String> lintCurrentSource() {
        return lint.check(TemplateSet.of(read()));
    }

    @Scheduled(every = "${comms.messages.reload-check-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void watchFolder() {
        if (config.templatesDir().isPresent() && current != null) {
            reload();
        }
    }

    private void use(TemplateSet set) {
        QuarkusTransaction.requiringNew().run(() -> {
            try {
                em.createNativeQuery("""
                        insert into template_set (version, files, created_at) values (?1, cast(?2 as jsonb), ?3)
                        on conflict do nothing""")
                        .setParameter(1, set.version()).setParameter(2, mapper.writeValueAsString(set.files()))
                        .setParameter(3, Timestamp.from(clock.instant())).executeUpdate();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        versions.put(set.version(), set);
        current = set;
    }

    public String source() {
        return config.templatesDir().filter(d -> Files.isDirectory(Path.of(d))).map(d -> "folder " + d)
                .orElse("packaged defaults");
    }

    private Map<String, String> read() {
        Optional<Path> folder = config.templatesDir().map(Path::of).filter(Files::isDirectory);
        return folder.isPresent() ? readFolder(folder.get()) : readPackaged();
    }

    private static Map<String, String> readFolder(Path folder) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = folder.relativize(path).toString().replace('\\', '/');
                // the folder also holds its README and the kustomization that makes ConfigMaps of it
                if (!name.endsWith("README.md") && !name.equals("kustomization.yaml") && !name.startsWith(".")
                        && !name.contains("/.")) {
                    files.put(name, Files.readString(path, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the message templates in " + folder, e);
        }
        return files;
    }

    /** The packaged set, by the names the layout defines (a jar cannot be listed). */
    private Map<String, String> readPackaged() {
        Map<String, String> files = new TreeMap<>();
        List<String> names = new ArrayList<>(List.of(TemplateSet.LAYOUT_TEXT, TemplateSet.LAYOUT_HTML,
                TemplateSet.ACKNOWLEDGEMENTS));
        for (MessageKind kind : MessageKind.values()) {
            names.add(kind.wire() + ".txt");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String locale : config.locales()) {
            for (String name : names) {
                try (InputStream in = loader.getResourceAsStream(PACKAGED + locale + "/" + name)) {
                    if (in != null) {
                        files.put(locale + "/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return files;
    }
}
