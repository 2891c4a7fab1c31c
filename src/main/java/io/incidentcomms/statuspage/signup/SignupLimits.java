package io.incidentcomms.statuspage.signup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Counts sign-up attempts by kind (per client, per email address, per number, verification SMS
 * sent) over sliding windows, in the database so that every replica sees the same counts. What is
 * counted is kept as a hash: the limits need no address in clear.
 */
@ApplicationScoped
public class SignupLimits {

    enum Kind {
        SMS_CLIENT, ADDRESS, NUMBER, SMS_SENT
    }

    private final EntityManager em;
    private final Clock clock;

    SignupLimits(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * When the subject may try again, if it has used up {@code limit} attempts within {@code window}:
     * when the oldest of them leaves the window.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Instant> exhausted(Kind kind, String subject, int limit, Duration window) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        java.util.List<Object> times = em.createNativeQuery("""
                select at from signup_attempt where kind = ?1 and subject = ?2 and at > ?3 order by at desc limit ?4""")
                .setParameter(1, kind.name()).setParameter(2, hash(subject)).setParameter(3, Timestamp.from(now.minus(window)))
                .setParameter(4, limit).getResultList();
        if (times.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(SqlTimes.instant(times.get(times.size() - 1)).plus(window));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void count(Kind kind, String subject) {
        em.createNativeQuery("insert into signup_attempt (kind, subject, at) values (?1, ?2, ?3)")
                .setParameter(1, kind.name()).setParameter(2, hash(subject)).setParameter(3, Timestamp.from(clock.instant()))
                .executeUpdate();
    }

    /** Forgets attempts older than a day: no window is longer. */
    @Transactional
    public int forgetOld() {
        return em.createNativeQuery("delete from signup_attempt where at < ?1")
                .setParameter(1, Timestamp.from(clock.instant().minus(Duration.ofDays(1)))).executeUpdate();
    }

    private static String hash(String subject) {
        return Hashes.sha256Hex("signup-limit", subject);
    }
}
