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

    /** The choice a form or a query sent, in any case, with {@code -} or {@code _}; null when blank or unknown. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String wire(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
    }
}
