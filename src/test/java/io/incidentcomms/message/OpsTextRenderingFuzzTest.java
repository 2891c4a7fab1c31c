package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Content;
import io.incidentcomms.message.MessageRenderer.Recipient;

/**
 * Whatever ops type — any characters, markup, line breaks, huge or empty texts, in any of the
 * languages — the shipped templates render it for email and SMS without failing, the email's
 * HTML carries it escaped (no markup of theirs gets into the page), the subject stays one line,
 * and the SMS is measured as it will be sent. Seeds in {@code OpsTextRenderingFuzzTestInputs/};
 * fuzz with {@code JAZZER_FUZZ=1} (see the README).
 */
class OpsTextRenderingFuzzTest {

    static final TemplateSet TEMPLATES = TemplateSet.of(shippedTemplates());
    static final MessageRenderer RENDERER = new MessageRenderer(new Settings(), Clock.systemUTC());
    static final List<String> LOCALES = List.of("en", "de", "fr");
    static final MessageKind[] KINDS = MessageKind.values();
    /** Starts every ops text, so that the text and not the template's own markup is what is looked for. */
    static final String MARK = "Ωq";

    @FuzzTest(maxDuration = "2m")
    void anyOpsTextRendersEscapedInEveryLanguageAndChannel(FuzzedDataProvider data) {
        String locale = data.pickValue(LOCALES);
        MessageKind kind = data.pickValue(KINDS);
        String title = MARK + data.consumeString(300);
        String explain = MARK + data.consumeString(4000);
        String label = MARK + data.consumeString(200);
        String code = data.consumeString(12);
        String question = MARK + data.consumeString(300);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(locale, explain);
        Content content = new Content(kind, "INC-2026-0042", Map.of(locale, title), texts,
                Map.of(), locale, Map.of(), List.of(new MessageOption(code.isBlank() ? "1" : code, Map.of(locale, label),
                        null, false)), Map.of(locale, question), Instant.parse("2026-12-02T15:00:00Z"),
                data.consumeInt(0, 20), Duration.ofMinutes(data.consumeInt(0, 10_000)), Map.of(), data.consumeBoolean(),
                "investigating");
        String reader = data.pickValue(LOCALES);

        MessageRenderer.Rendered email = RENDERER.render(TEMPLATES, content,
                new Recipient(reader, ZoneId.of("Europe/Berlin"), Channel.EMAIL, false, "tkn"));
        MessageRenderer.Rendered sms = RENDERER.render(TEMPLATES, content,
                new Recipient(reader, ZoneId.of("Europe/Berlin"), Channel.SMS, true, "tkn", "abcdefgh", null));

        for (String text : List.of(title, explain, label, question)) {
            // the text up to its first '<', if nothing in it is changed on the way (white space, line breaks)
            int bracket = text.indexOf('<');
            String start = bracket < 0 ? null : text.substring(0, bracket + 1);
            if (start != null && start.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                assertFalse(email.html().contains(start), "ops text appears unescaped in the HTML: " + start);
            }
        }
        assertFalse(email.subject().contains("\n") || email.subject().contains("\r"), "the subject is one line");
        assertTrue(sms.smsSegments() == SmsText.segments(sms.sms()), "the SMS is measured as it is sent");
    }

    private static Map<String, String> shippedTemplates() {
        Path root = Path.of("templates");
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(path).toString().replace('\\', '/');
                if (!name.equals("README.md")) {
                    files.put(name, Files.readString(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The message settings as shipped. */
    static final class Settings implements MessageConfig {
        @Override
        public Optional<String> templatesDir() {
            return Optional.empty();
        }

        @Override
        public Duration reloadCheckInterval() {
            return Duration.ofSeconds(2);
        }

        @Override
        public List<String> locales() {
            return LOCALES;
        }

        @Override
        public String brand() {
            return "Status";
        }

        @Override
        public Optional<String> logoUrl() {
            return Optional.empty();
        }

        @Override
        public String accentColor() {
            return "#1d4ed8";
        }

        @Override
        public Optional<String> shortLinkBase() {
            return Optional.empty();
        }

        @Override
        public int smsMaxSegments() {
            return 3;
        }

        @Override
        public String publicBaseUrl() {
            return "https://status.example.com";
        }

        @Override
        public List<String> blameWords() {
            return List.of("your fault");
        }
    }
}
