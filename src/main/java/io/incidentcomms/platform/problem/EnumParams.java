package io.incidentcomms.platform.problem;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads lower-case wire values of enums from query parameters, naming the parameter when wrong. */
public final class EnumParams {

    private EnumParams() {
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            throw ProblemException.invalidField(parameter, "must be one of " + allowed);
        }
    }
}
