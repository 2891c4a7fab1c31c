package io.incidentcomms.console.signin;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * Signed-in browsers: a random token in the cookie, its hash in {@code console_session}, with the
 * session's CSRF token. A session ends at sign-out, after {@code session-idle} unused, after
 * {@code session-max-age}, and when its user's password changes or the user is removed.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** Who is signed in, and the token their forms must carry. */
    public record Session(long userId, String username, ConsoleRole role, String csrfToken) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final ConsoleConfig config;
    private final SecureRandom random = new SecureRandom();

    ConsoleSessions(EntityManager em, Clock clock, ConsoleConfig config) {
        this.em = em;
        this.clock = clock;
        this.config = config;
    }

    /** Starts a session for the user; answers the cookie's token. */
    @Transactional(Transactional.TxType.MANDATORY)
    String start(ConsoleUser user) {
        String token = randomToken();
        Timestamp now = Timestamp.from(clock.instant());
        em.createNativeQuery("""
                insert into console_session (token_hash, user_id, csrf_token, created_at, last_seen_at)
                values (?1, ?2, ?3, ?4, ?4)""")
                .setParameter(1, hash(token)).setParameter(2, user.id).setParameter(3, randomToken())
                .setParameter(4, now).executeUpdate();
        return token;
    }

    /** The session of a cookie's token, if it is still valid; marks it used. */
    @Transactional
    public Optional<Session> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                select s.user_id as user_id, u.username as username, u.role as role, s.csrf_token as csrf_token,
                       s.last_seen_at as last_seen_at
                from console_session s join console_user u on u.id = s.user_id
                where s.token_hash = ?1 and s.created_at > ?2 and s.last_seen_at > ?3""", Tuple.class)
                .setParameter(1, hash(token)).setParameter(2, Timestamp.from(now.minus(config.sessionMaxAge())))
                .setParameter(3, Timestamp.from(now.minus(config.sessionIdle()))).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Tuple row = rows.get(0);
        if (SqlTimes.instant(row.get("last_seen_at")).isBefore(now.minusSeconds(60))) {
            em.createNativeQuery("update console_session set last_seen_at = ?2 where token_hash = ?1")
                    .setParameter(1, hash(token)).setParameter(2, Timestamp.from(now)).executeUpdate();
        }
        return Optional.of(new Session(((Number) row.get("user_id")).longValue(), (String) row.get("username"),
                ConsoleRole.fromWire((String) row.get("role")), (String) row.get("csrf_token")));
    }

    @Transactional
    public void end(String token) {
        if (token != null) {
            em.createNativeQuery("delete from console_session where token_hash = ?1").setParameter(1, hash(token))
                    .executeUpdate();
        }
    }

    /** Signs the user out everywhere but, optionally, the session of {@code keepToken}. */
    @Transactional(Transactional.TxType.MANDATORY)
    void endAllOf(long userId, String keepToken) {
        em.createNativeQuery("delete from console_session where user_id = ?1 and token_hash <> ?2")
                .setParameter(1, userId).setParameter(2, keepToken == null ? "" : hash(keepToken)).executeUpdate();
    }

    @Transactional
    int forgetEnded() {
        Instant now = clock.instant();
        return em.createNativeQuery("delete from console_session where created_at <= ?1 or last_seen_at <= ?2")
                .setParameter(1, Timestamp.from(now.minus(config.sessionMaxAge())))
                .setParameter(2, Timestamp.from(now.minus(config.sessionIdle()))).executeUpdate();
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String token) {
        return Hashes.sha256Hex("console-session", token);
    }
}
