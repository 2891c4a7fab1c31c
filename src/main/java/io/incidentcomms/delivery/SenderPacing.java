package io.incidentcomms.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.platform.persistence.SqlRows;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Keeps each sender (the SMS sender, the email sender) under its configured rate across every
 * replica, through one row per sender in the database: a send reserves the next free slot and
 * moves it on by its cost (SMS segments, or one email) over the rate, then waits for its slot.
 * Pacing to the rate, rather than handing the provider everything at once, keeps our priority
 * order: a critical message claimed later still goes before the rest of a minor fan-out.
 * When the provider throttles us, the whole sender pauses, not just the one message. When it
 * refuses our account (authentication, a sender it will not send from), the sender is held
 * until ops resume it: nothing is claimed, and what waits goes out after the resume.
 */
@ApplicationScoped
public class SenderPacing {

    private static final Logger LOG = Logger.getLogger(SenderPacing.class);

    /** A reserved send slot: the time the message may go, or the end of a pause to wait out. */
    public record Slot(Instant at, boolean paused) {
    }

    /** A sender's state for ops: held (since when, why) and paused after throttling (until when). */
    public record SenderState(Channel channel, boolean held, Instant heldSince, String heldReason, Instant pausedUntil,
            double ratePerSecond) {
    }

    /** A sender's row in {@code send_rate}, read by column name. */
    private record SendRateRow(Instant nextSlotAt, Instant pausedUntil, Instant heldSince, String heldReason) {

        static SendRateRow of(ResultSet row) throws SQLException {
            return new SendRateRow(SqlTimes.instant(row.getTimestamp("next_slot_at")),
                    SqlTimes.instant(row.getTimestamp("paused_until")), SqlTimes.instant(row.getTimestamp("held_since")),
                    row.getString("held_reason"));
        }
    }

    private final EntityManager em;
    private final SqlRows sql;
    private final Clock clock;
    private final DeliveryConfig config;
    /** The pause each sender is known to be under, so waiting sends need not ask the database. */
    private final Map<Channel, Instant> knownPauses = new ConcurrentHashMap<>();
    private final Map<Channel, Double> rateOverrides = new ConcurrentHashMap<>();
    /** Senders this process knows to be held, so waiting sends need not ask the database. */
    private final Map<Channel, Boolean> knownHolds = new ConcurrentHashMap<>();

    SenderPacing(EntityManager em, SqlRows sql, Clock clock, DeliveryConfig config) {
        this.em = em;
        this.sql = sql;
        this.clock = clock;
        this.config = config;
    }

    static String sender(Channel channel) {
        return channel.name().toLowerCase();
    }

    /** Units (SMS segments or emails) per second; zero or less means no limit. */
    public double rate(Channel channel) {
        Double overridden = rateOverrides.get(channel);
        if (overridden != null) {
            return overridden;
        }
        return channel == Channel.SMS ? config.rate().smsSegmentsPerSecond() : config.rate().emailsPerSecond();
    }

    /** Sets a sender's rate in this process until {@link #reset()} (tests; the configuration is fixed per run). */
    void overrideRate(Channel channel, double perSecond) {
        rateOverrides.put(channel, perSecond);
    }

    /**
     * How many messages a worker may claim now: as many as the rate lets go out within a third of
     * the lease (leaving room for multi-segment SMS), minus what other workers already reserved;
     * none while the sender is paused.
     */
    public int budget(Channel channel, int wanted) {
        Instant now = clock.instant();
        SendRateRow row = state(channel);
        if (row != null && row.heldSince() != null) {
            knownHolds.put(channel, true);
            return 0;
        }
        knownHolds.remove(channel);
        Instant pausedUntil = row == null ? null : row.pausedUntil();
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            knownPauses.put(channel, pausedUntil);
            return 0;
        }
        double rate = rate(channel);
        if (rate <= 0) {
            return wanted;
        }
        Instant nextSlot = row == null ? now : row.nextSlotAt();
        double backlogSeconds = Math.max(0, Duration.between(now, nextSlot).toNanos() / 1e9);
        double windowSeconds = config.dispatcher().lease().toNanos() / 1e9 / 3;
        long budget = (long) Math.floor(rate * (windowSeconds - backlogSeconds));
        return (int) Math.max(0, Math.min(wanted, budget));
    }

    /** Reserves a slot for {@code cost} units (no reservation without a rate limit, only the pause check). */
    public Slot reserve(Channel channel, int cost) {
        return reserveAll(channel, new int[] { cost }).get(0);
    }

    /**
     * Reserves consecutive slots for a batch's messages in one step (their costs in units, in
     * order): one database round trip per batch, not per message.
     */
    public List<Slot> reserveAll(Channel channel, int[] costs) {
        Instant now = clock.instant();
        List<Slot> slots = new ArrayList<>(costs.length);
        Instant pause = knownPauses.get(channel);
        if (knownHolds.containsKey(channel) || (pause != null && pause.isAfter(now))) {
            Instant until = knownHolds.containsKey(channel) ? now : pause;
            for (int i = 0; i < costs.length; i++) {
                slots.add(new Slot(until, true));
            }
            return slots;
        }
        double rate = rate(channel);
        if (rate <= 0 || costs.length == 0) {
            for (int i = 0; i < costs.length; i++) {
                slots.add(new Slot(now, false));
            }
            return slots;
        }
        long[] micros = new long[costs.length];
        long total = 0;
        for (int i = 0; i < costs.length; i++) {
            micros[i] = (long) Math.ceil(costs[i] * 1_000_000 / rate);
            total += micros[i];
        }
        if (QuarkusTransaction.isActive()) {
            // in the caller's transaction the sender's row would stay locked, and every other worker's reservation wait, until it ends
            throw new IllegalStateException("Send slots are reserved outside a transaction");
        }
        Timestamp at = Timestamp.from(now);
        // once per batch, so through plain JDBC as one statement committed on its own, like the read in budget()
        SendRateRow row = sql.list("""
                insert into send_rate as r (sender, next_slot_at)
                values (?, cast(? as timestamptz) + make_interval(secs => cast(? as double precision) / 1e6))
                on conflict (sender) do update
                set next_slot_at = greatest(r.next_slot_at, cast(? as timestamptz), coalesce(r.paused_until, cast(? as timestamptz)))
                                   + make_interval(secs => cast(? as double precision) / 1e6)
                returning next_slot_at, paused_until, held_since, held_reason""",
                List.of(sender(channel), at, total, at, at, total), SendRateRow::of).get(0);
        Instant pausedUntil = row.pausedUntil();
        if (pausedUntil != null) {
            knownPauses.put(channel, pausedUntil);
        }
        boolean held = row.heldSince() != null;
        if (held) {
            knownHolds.put(channel, true);
        }
        Instant slot = row.nextSlotAt().minusNanos(total * 1000);
        for (int i = 0; i < costs.length; i++) {
            slots.add(held ? new Slot(now, true) : new Slot(slot, false));
            slot = slot.plusNanos(micros[i] * 1000);
        }
        return slots;
    }

    /** Whether the sender was paused or held since a slot was reserved (another send was throttled or refused). */
    public boolean pausedNow(Channel channel) {
        if (knownHolds.containsKey(channel)) {
            return true;
        }
        Instant pause = knownPauses.get(channel);
        return pause != null && pause.isAfter(clock.instant());
    }

    /** The provider throttled us: hold the whole sender, on every replica, for the configured pause. */
    public Instant pause(Channel channel) {
        Instant until = clock.instant().plus(config.rate().throttlePause());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into send_rate as r (sender, next_slot_at, paused_until) values (?1, ?2, ?2)
                on conflict (sender) do update set paused_until = greatest(coalesce(r.paused_until, ?2), ?2)""")
                .setParameter(1, sender(channel)).setParameter(2, Timestamp.from(until)).executeUpdate());
        knownPauses.merge(channel, until, (a, b) -> a.isAfter(b) ? a : b);
        LOG.warnf("The %s provider throttled us: the sender pauses until %s", sender(channel), until);
        return until;
    }

    /**
     * The provider refused our account: hold the sender on every replica until {@link #resume}.
     * Returns whether this call held it (false when it was held already), so one alert goes out.
     */
    public boolean hold(Channel channel, String reason) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        knownHolds.put(channel, true);
        // first is whoever finds the sender not held (the row lock orders them); comparing the stored
        // moment with one's own made two senders refused in the same microsecond both first
        return !QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                insert into send_rate as r (sender, next_slot_at, held_since, held_reason) values (?1, ?2, ?2, ?3)
                on conflict (sender) do update set held_since = excluded.held_since, held_reason = excluded.held_reason
                where r.held_since is null
                returning r.sender""")
                .setParameter(1, sender(channel)).setParameter(2, Timestamp.from(now)).setParameter(3, reason)
                .getResultList()).isEmpty();
    }

    /** Ops resumed the sender: what was held is claimed again. Returns whether it was held. */
    public boolean resume(Channel channel) {
        knownHolds.remove(channel);
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                update send_rate set held_since = null, held_reason = null where sender = ?1 and held_since is not null""")
                .setParameter(1, sender(channel)).executeUpdate()) > 0;
    }

    public SenderState describe(Channel channel) {
        SendRateRow row = state(channel);
        Instant heldSince = row == null ? null : row.heldSince();
        return new SenderState(channel, heldSince != null, heldSince, row == null ? null : row.heldReason(),
                row == null ? null : row.pausedUntil(), rate(channel));
    }

    /** Forgets pauses, holds and reservations (tests). */
    void reset() {
        knownHolds.clear();
        knownPauses.clear();
        rateOverrides.clear();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from send_rate").executeUpdate());
    }

    /**
     * The sender's row; null when it has none yet. Read once per batch of each channel, so through
     * plain JDBC and on its own: as a native query in a transaction of its own it cost the service
     * more than the claim.
     */
    private SendRateRow state(Channel channel) {
        List<SendRateRow> rows = sql.list("select next_slot_at, paused_until, held_since, held_reason from send_rate where sender = ?",
                List.of(sender(channel)), SendRateRow::of);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
