package io.incidentcomms.audience;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.incidentcomms.incident.IncidentQueries.AudienceTarget;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides who to tell about an incident, in one statement in the database (the three sources of
 * the audience are one bitmap OR over the scope GIN index, the ref index and the primary key): subscribers whose subscriptions meet the
 * incident's scopes (exact, whole kind, everything) ∪ recipients the incident names ∪ everyone
 * already told about it, minus erased subscribers and those who muted it; then, per contact point,
 * the channel policy, and never an opted-out (by this row or, through the suppression list, by
 * any row that held the address), bounced, erased or (for SMS) unconsented address.
 * The result is consumed as a stream from a cursor, so memory does not grow with the audience.
 */
@ApplicationScoped
public class AudienceResolver {

    /** Parameters in order: see {@link #bind}. */
    static final String RESOLUTION = """
            select s.id as subscriber_id, cp.id as contact_point_id, cp.channel, s.locale, s.time_zone,
                   s.external_ref, cp.address
            from subscriber s
            join contact_point cp on cp.subscriber_id = s.id
            where (   s.scopes && ?::varchar[]
                   or s.external_ref = any(?::varchar[])
                   or s.id = any(array(select subscriber_id from notification where incident_id = ?)))
              and s.erased_at is null
              and cp.address is not null and cp.opted_out_at is null and cp.bounced_at is null
              and not exists (select 1 from suppression sp where sp.address_hash = cp.address_hash)
              and (cp.channel <> 'SMS' or cp.consent_at is not null)
              and not exists (select 1 from incident_mute mu where mu.incident_id = ? and mu.subscriber_id = s.id)
              and (   (cp.channel = 'EMAIL' and (? or s.channel_preference[1] = 'EMAIL'))
                   or (cp.channel = 'SMS' and (? or (? and s.tier = 'PRIORITY') or (? and s.channel_preference[1] = 'SMS')))
                   or exists (select 1 from notification n where n.incident_id = ? and n.contact_point_id = cp.id))
            """;

    public record Recipient(long subscriberId, long contactPointId, Channel channel, String locale, String timeZone,
            String externalRef, String address) {
    }

    private final DataSource dataSource;
    private final AudienceConfig config;

    AudienceResolver(DataSource dataSource, AudienceConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Streams every recipient to {@code each}; returns how many there were. */
    public long stream(AudienceTarget target, Consumer<Recipient> each) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement query = c.prepareStatement(RESOLUTION + " order by s.id, cp.channel")) {
                bind(c, query, 1, target);
                query.setFetchSize(5000);
                long count = 0;
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        each.accept(new Recipient(rs.getLong(1), rs.getLong(2), Channel.valueOf(rs.getString(3)),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                        count++;
                    }
                }
                return count;
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Resolving the audience failed", e);
        }
    }

    /** {@code deliveryEstimateSeconds}: how long reaching them all takes at the senders' rates. */
    public record Preview(long recipients, Map<Channel, Long> perChannel, Map<String, Long> subscribersPerScope,
            long namedRecipients, long alreadyTold, List<SampleRecipient> sample, Long deliveryEstimateSeconds) {

        public Preview withDeliveryEstimate(java.time.Duration estimate) {
            return new Preview(recipients, perChannel, subscribersPerScope, namedRecipients, alreadyTold, sample,
                    (long) Math.ceil(estimate.toMillis() / 1000.0));
        }
    }

    public record SampleRecipient(String externalRef, Channel channel, String address) {
    }

    /** How many contact points per channel the incident's audience has now. */
    public Map<Channel, Long> countPerChannel(AudienceTarget target) {
        return perChannel(count(target));
    }

    private static Map<Channel, Long> perChannel(Counts counts) {
        Map<Channel, Long> perChannel = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            perChannel.put(channel, 0L);
        }
        counts.perChannelAndLocale().forEach((channel, locales) -> perChannel.put(channel,
                locales.values().stream().mapToLong(Long::longValue).sum()));
        return perChannel;
    }

    /** The audience counted: contact points per channel and subscriber locale, and distinct subscribers. */
    public record Counts(Map<Channel, Map<String, Long>> perChannelAndLocale, long subscribers) {
    }

    /** One pass over the resolution: per channel and locale, and the distinct subscribers of them all. */
    public Counts count(AudienceTarget target) {
        try (Connection c = dataSource.getConnection()) {
            return count(c, target);
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the audience failed", e);
        }
    }

    /** The count on a connection the caller holds (never a second one from the pool while holding one). */
    private Counts count(Connection c, AudienceTarget target) {
        Map<Channel, Map<String, Long>> counts = new LinkedHashMap<>();
        long subscribers = 0;
        try (PreparedStatement query = c.prepareStatement("select channel, locale, count(*), count(distinct subscriber_id)"
                        + " from (" + RESOLUTION + ") r group by grouping sets ((channel, locale), ())")) {
            bind(c, query, 1, target);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String channel = rs.getString(1);
                    if (channel == null) {
                        subscribers = rs.getLong(4);
                    } else {
                        counts.computeIfAbsent(Channel.valueOf(channel), k -> new LinkedHashMap<>())
                                .put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
            return new Counts(counts, subscribers);
        } catch (SQLException e) {
            throw new IllegalStateException("Counting the audience failed", e);
        }
    }

    /** Subscribers (not erased) each scope reaches, with its wildcards ({@code component:*}, {@code *}). */
    public Map<String, Long> subscribersPerScope(List<String> scopes) {
        try (Connection c = dataSource.getConnection()) {
            return subscribersPerScope(c, scopes);
        } catch (SQLException e) {
            throw new IllegalStateException("Counting subscribers per scope failed", e);
        }
    }

    private static Map<String, Long> subscribersPerScope(Connection c, List<String> scopes) throws SQLException {
        Map<String, Long> perScope = new LinkedHashMap<>();
        try (PreparedStatement query = c.prepareStatement("""
                select sc.scope, count(*)
                from unnest(?::varchar[]) as sc(scope)
                join subscriber s on s.scopes && array[sc.scope, split_part(sc.scope, ':', 1) || ':*', '*']::varchar[]
                                 and s.erased_at is null
                group by sc.scope order by sc.scope""")) {
            query.setArray(1, c.createArrayOf("varchar", scopes.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    perScope.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return perScope;
    }

    /** Counts per channel and per matched scope, and a small sample with masked addresses. */
    public Preview preview(AudienceTarget target) {
        try (Connection c = dataSource.getConnection()) {
            Map<Channel, Long> perChannel = perChannel(count(c, target));
            long total = perChannel.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Long> perScope = subscribersPerScope(c, target.scopes());
            long named = single(c, "select count(*) from subscriber where erased_at is null and external_ref = any(?::varchar[])",
                    c.createArrayOf("varchar", target.recipients().toArray()));
            long told = single(c, "select count(distinct subscriber_id) from notification where incident_id = ?",
                    target.incidentId());
            List<SampleRecipient> sample = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(RESOLUTION + " order by s.id, cp.channel limit 10")) {
                bind(c, query, 1, target);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Channel channel = Channel.valueOf(rs.getString(3));
                        sample.add(new SampleRecipient(rs.getString(6), channel, Masking.address(channel, rs.getString(7))));
                    }
                }
            }
            return new Preview(total, perChannel, perScope, named, told, sample, null);
        } catch (SQLException e) {
            throw new IllegalStateException("Previewing the audience failed", e);
        }
    }

    /** Scope patterns that meet the incident's scopes: each scope, its whole kind, and everything. */
    static List<String> patterns(List<String> scopes) {
        Set<String> patterns = new LinkedHashSet<>(scopes);
        for (String scope : scopes) {
            patterns.add(scope.substring(0, scope.indexOf(':')) + ":*");
        }
        patterns.add("*");
        return new ArrayList<>(patterns);
    }

    /**
     * The resolution as SQL for a caller that wraps it (delivery's {@code INSERT … SELECT}): its
     * columns are subscriber_id, contact_point_id, channel, locale, time_zone, external_ref, address.
     * {@code bind} sets its parameters from {@code first} on and returns the next free index.
     */
    public record Resolution(String sql, Binder binder) {
    }

    @FunctionalInterface
    public interface Binder {
        int bind(Connection c, PreparedStatement statement, int first) throws SQLException;
    }

    public Resolution resolution(AudienceTarget target) {
        return new Resolution(RESOLUTION, (c, statement, first) -> bind(c, statement, first, target));
    }

    /** Binds, in the order they stand in {@link #RESOLUTION}, the parameters of the resolution. */
    private int bind(Connection c, PreparedStatement statement, int first, AudienceTarget target) throws SQLException {
        AudienceConfig.ChannelPolicy policy = config.channelPolicy();
        int i = first;
        statement.setArray(i++, c.createArrayOf("varchar", patterns(target.scopes()).toArray()));
        statement.setArray(i++, c.createArrayOf("varchar", target.recipients().toArray()));
        statement.setLong(i++, target.incidentId());
        statement.setLong(i++, target.incidentId());
        statement.setBoolean(i++, policy.emailForEveryone());
        statement.setBoolean(i++, policy.smsSeverities().contains(target.severity()));
        statement.setBoolean(i++, policy.smsForPriorityTier());
        statement.setBoolean(i++, policy.smsWhenPreferredFirst());
        statement.setLong(i++, target.incidentId());
        return i;
    }

    private static long single(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
