package io.incidentcomms.console.signin;

import java.util.Locale;

/** What a console user may do; each role can do everything the roles before it can. */
public enum ConsoleRole {
    /** Reads incidents, delivery and subscribers (masked). */
    VIEWER,
    /** Also declares, posts, publishes and pauses. */
    OPS,
    /** Also manages console users. */
    ADMIN;

    public boolean includes(ConsoleRole other) {
        return compareTo(other) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConsoleRole fromWire(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
