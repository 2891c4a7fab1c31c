package io.incidentcomms.console.signin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Counts wrong passwords per account and per client address over a sliding window, in the
 * database so every replica sees them; past the limit, sign-in is refused until the oldest failure
 * leaves the window, even with the right password. Subjects are kept as hashes.
 */
@ApplicationScoped
class SignInThrottle {

    private final EntityManager em;
    private final Clock clock;
    private final ConsoleConfig.SignIn config;

    SignInThrottle(EntityManager em, Clock clock, ConsoleConfig config) {
        this.em = em;
        this.clock = clock;
        this.config = config.signIn();
    }

    /** When sign-in may be tried again, if the account or the client has failed too often. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Instant> throttledUntil(String username, String client) {
        Optional<Instant> account = exhausted(account(username), config.accountFailures());
        Optional<Instant> address = exhausted(client(client), config.clientFailures());
        return account.isPresent() && address.isPresent() ? Optional.of(later(account.get(), address.get()))
                : account.or(() -> address);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void failed(String username, String client) {
        Timestamp now = Timestamp.from(clock.instant());
        for (String subject : List.of(account(username), client(client))) {
            em.createNativeQuery("insert into console_sign_in_failure (subject, at) values (?1, ?2)")
                    .setParameter(1, subject).setParameter(2, now).executeUpdate();
        }
    }

    /** A right password clears the account's failures (not the client's: one account must not unlock guessing others). */
    @Transactional(Transactional.TxType.MANDATORY)
    void succeeded(String username) {
        em.createNativeQuery("delete from console_sign_in_failure where subject = ?1")
                .setParameter(1, account(username)).executeUpdate();
    }

    @Transactional
    int forgetOld() {
        return em.createNativeQuery("delete from console_sign_in_failure where at < ?1")
                .setParameter(1, Timestamp.from(clock.instant().minus(config.window()))).executeUpdate();
    }

    private Optional<Instant> exhausted(String subject, int limit) {
        Duration window = config.window();
        @SuppressWarnings("unchecked")
        List<Object> times = em.createNativeQuery("""
                select at from console_sign_in_failure where subject = ?1 and at > ?2 order by at desc limit ?3""")
                .setParameter(1, subject).setParameter(2, Timestamp.from(clock.instant().minus(window)))
                .setParameter(3, limit).getResultList();
        if (times.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(SqlTimes.instant(times.get(times.size() - 1)).plus(window));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String account(String username) {
        return Hashes.sha256Hex("console-account", username.trim().toLowerCase(java.util.Locale.ROOT));
    }

    private static String client(String client) {
        return Hashes.sha256Hex("console-client", client == null ? "" : client);
    }
}
