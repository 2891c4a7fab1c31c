package io.incidentcomms.platform;

/** How a failure is described where it is kept or logged: its innermost cause, which names what really went wrong. */
public final class Failures {

    private Failures() {
    }

    /** {@code "PSQLException: ERROR: time zone \"Mars/Olympus\" not recognized"}, for example. */
    public static String innermost(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
