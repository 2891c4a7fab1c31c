package io.incidentcomms.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The request and answer formats of the tools we integrate with, as their documentation shows
 * them ({@code src/test/resources/integrations/<tool>/}), with {@code {{name}}} placeholders filled in.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static String read(String path, Map<String, String> values) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("integrations/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture integrations/" + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("{{" + value.getKey() + "}}", value.getValue());
            }
            if (text.contains("{{")) {
                throw new IllegalArgumentException("a placeholder of integrations/" + path + " was left unfilled");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(String path) {
        return read(path, Map.of());
    }
}
