package io.incidentcomms.console;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The choices of a select, as the API spells them ({@code in_progress}, {@code major}). */
final class ConsoleChoices {

    private ConsoleChoices() {
    }

    static List<String> of(Enum<?>[] values) {
        return Arrays.stream(values).map(ConsoleChoices::wire).toList();
    }

    static String wire(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
    }
}
