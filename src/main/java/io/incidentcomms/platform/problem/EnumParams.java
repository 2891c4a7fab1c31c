package io.incidentcomms.platform.problem;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads lower-case wire values of enums from query parameters, naming the parameter when wrong. */
public final class EnumParams {

    private EnumParams() {
    }

    /** The value, or null when it is absent or blank (an optional filter). */
    public static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(parameter, "must be one of " + allowed(type));
        }
    }

    /** The value, which must be there (a path parameter). */
    public static <E extends Enum<E>> E require(Class<E> type, String parameter, String value) {
        E parsed = parse(type, parameter, value);
        if (parsed == null) {
            throw ProblemException.invalidField(parameter, "must be one of " + allowed(type));
        }
        return parsed;
    }

    private static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
