package io.incidentcomms.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.incidentcomms.incident.MessageKind;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;

/**
 * One version of the message templates: the files (path → text) and their Qute templates.
 * The version is the SHA-256 of the files, so the same files are always the same version.
 */
public final class TemplateSet {

    static final String LAYOUT_TEXT = "layout.txt";
    static final String LAYOUT_HTML = "layout.html";
    static final String ACKNOWLEDGEMENTS = "acknowledgements.txt";

    private final String version;
    private final Map<String, String> files;
    private final Engine engine;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<Acknowledgement>>> acknowledgements = new ConcurrentHashMap<>();
    private final Map<String, Boolean> hasSections = new ConcurrentHashMap<>();

    private TemplateSet(Map<String, String> files) {
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
        this.version = hash(this.files);
        // user text reaches templates only as data, never as template source; HTML output escapes it
        this.engine = Engine.builder().addDefaults().strictRendering(true)
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
    }

    public static TemplateSet of(Map<String, String> files) {
        return new TemplateSet(files);
    }

    public String version() {
        return version;
    }

    public Map<String, String> files() {
        return files;
    }

    public boolean has(String path) {
        return files.containsKey(path);
    }

    /** The parsed template at {@code path}; parse errors name the file. */
    public Template template(String path) {
        return parsed.computeIfAbsent(path, p -> {
            String source = files.get(p);
            if (source == null) {
                throw new TemplateProblem(p, "file is missing");
            }
            try {
                Variant variant = p.endsWith(".html") ? Variant.forContentType(Variant.TEXT_HTML)
                        : Variant.forContentType(Variant.TEXT_PLAIN);
                return engine.parse(source, variant, p);
            } catch (RuntimeException e) {
                throw new TemplateProblem(p, e.getMessage());
            }
        });
    }

    /** Whether every locale's layout and kind files have the sections this version of the service renders. */
    boolean hasSections(List<String> locales) {
        return hasSections.computeIfAbsent(String.join(",", locales), k -> {
            for (String locale : locales) {
                if (!has(locale + "/" + LAYOUT_TEXT)) {
                    continue;
                }
                if (!sectionsPresent(locale + "/" + LAYOUT_TEXT, MessageRenderer.LAYOUT_SECTIONS)) {
                    return false;
                }
                for (MessageKind kind : MessageKind.values()) {
                    if (!sectionsPresent(locale + "/" + kind.wire() + ".txt", MessageRenderer.KIND_SECTIONS)
                            || acknowledgements(locale, kind).isEmpty()) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private boolean sectionsPresent(String path, List<String> sections) {
        try {
            Template template = template(path);
            return sections.stream().allMatch(id -> template.getFragment(id) != null);
        } catch (TemplateProblem e) {
            return false;
        }
    }

    /** One way of acknowledging how the customer feels: the sentence, and a shorter one for a tight SMS. */
    public record Acknowledgement(String full, String brief) {
    }

    /**
     * The locale's acknowledgements for a kind. The file has a {@code [kind]} heading per kind and
     * one {@code sentence | shorter sentence} per line below it; {@code #} starts a comment.
     */
    public List<Acknowledgement> acknowledgements(String locale, MessageKind kind) {
        return acknowledgementsByKind(locale).getOrDefault(kind.wire(), List.of());
    }

    Map<String, List<Acknowledgement>> acknowledgementsByKind(String locale) {
        return acknowledgements.computeIfAbsent(locale, l -> parseAcknowledgements(files.get(l + "/" + ACKNOWLEDGEMENTS)));
    }

    private static Map<String, List<Acknowledgement>> parseAcknowledgements(String text) {
        Map<String, List<Acknowledgement>> byKind = new TreeMap<>();
        if (text == null) {
            return byKind;
        }
        List<Acknowledgement> current = null;
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = byKind.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new ArrayList<>());
            } else if (current != null) {
                int bar = line.indexOf('|');
                String full = (bar < 0 ? line : line.substring(0, bar)).strip();
                String brief = bar < 0 ? "" : line.substring(bar + 1).strip();
                current.add(new Acknowledgement(full, brief.isEmpty() ? full : brief));
            }
        }
        return byKind;
    }

    private static String hash(Map<String, String> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            files.forEach((path, text) -> {
                digest.update(path.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A template that cannot be used, with the file it is in. */
    public static final class TemplateProblem extends RuntimeException {
        private final String file;

        public TemplateProblem(String file, String problem) {
            super(file + ": " + problem);
            this.file = file;
        }

        public String file() {
            return file;
        }
    }
}
