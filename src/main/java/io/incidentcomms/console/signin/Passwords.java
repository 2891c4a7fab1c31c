package io.incidentcomms.console.signin;

import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt hashes of console passwords, and the rules a new password must meet. */
final class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 72; // bcrypt reads no further
    private static final int COST = 12;
    /** Checked when the account does not exist, so that an unknown name takes as long as a wrong password. */
    private static final String DECOY = BcryptUtil.bcryptHash("decoy-password-never-matches", COST);

    private Passwords() {
    }

    static String hash(String password) {
        return BcryptUtil.bcryptHash(password, COST);
    }

    static boolean matches(String password, String hash) {
        return password != null && BcryptUtil.matches(password, hash == null ? DECOY : hash) && hash != null;
    }

    /** Why a password may not be used, or null. */
    static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "A password needs at least " + MIN_LENGTH + " characters.";
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "A password can have at most " + MAX_LENGTH + " bytes.";
        }
        return null;
    }
}
