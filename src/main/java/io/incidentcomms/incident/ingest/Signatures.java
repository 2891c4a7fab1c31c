package io.incidentcomms.incident.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Constant-time comparison for webhook authentication (the HMACs are {@code platform.Hashes}). */
final class Signatures {

    private Signatures() {
    }

    static boolean constantTimeEquals(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
