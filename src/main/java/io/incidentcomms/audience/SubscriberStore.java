package io.incidentcomms.audience;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Writes subscribers in batches with set-based SQL (arrays unnested by PostgreSQL): a batch of
 * thousands of rows costs a handful of statements, never one round trip per row.
 */
@ApplicationScoped
public class SubscriberStore {

    private final DataSource dataSource;
    private final Clock clock;

    SubscriberStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Upserts the rows in order (a later row for the same ref applies over an earlier one).
     * Returns subscriber ids by external ref.
     */
    @Transactional
    public Map<String, Long> upsert(List<SubscriberRow> rows) {
        Map<String, SubscriberRow> byRef = new LinkedHashMap<>();
        for (SubscriberRow row : rows) {
            byRef.merge(row.externalRef(), row, SubscriberRow::mergedWith);
        }
        List<SubscriberRow> batch = new ArrayList<>(byRef.values());
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            Array refs = varchars(c, batch, SubscriberRow::externalRef);
            Array names = varchars(c, batch, SubscriberRow::name);
            Array locales = varchars(c, batch, SubscriberRow::locale);
            Array zones = varchars(c, batch, SubscriberRow::timeZone);
            Array tiers = varchars(c, batch, r -> r.tier() == null ? null : r.tier().name());
            Array quietStarts = c.createArrayOf("time", batch.stream().map(r -> r.quietStart() == null ? null : Time.valueOf(r.quietStart())).toArray());
            Array quietEnds = c.createArrayOf("time", batch.stream().map(r -> r.quietEnd() == null ? null : Time.valueOf(r.quietEnd())).toArray());
            Array preferences = varchars(c, batch, r -> r.channelPreference() == null ? null
                    : String.join(",", r.channelPreference().stream().map(Enum::name).toList()));

            try (PreparedStatement insert = c.prepareStatement("""
                    insert into subscriber (external_ref, created_at, updated_at)
                    select ref, ?, ? from unnest(?::varchar[]) as r(ref)
                    on conflict (external_ref) do nothing""")) {
                insert.setTimestamp(1, now);
                insert.setTimestamp(2, now);
                insert.setArray(3, refs);
                insert.executeUpdate();
            }
            Map<String, Long> ids = new HashMap<>();
            try (PreparedStatement update = c.prepareStatement("""
                    update subscriber s set
                        name = coalesce(r.name, s.name),
                        locale = coalesce(r.locale, s.locale),
                        time_zone = coalesce(r.zone, s.time_zone),
                        tier = coalesce(r.tier, s.tier),
                        quiet_start = case when r.qs is null then s.quiet_start else r.qs end,
                        quiet_end = case when r.qs is null then s.quiet_end else r.qe end,
                        channel_preference = coalesce(string_to_array(r.pref, ','), s.channel_preference),
                        updated_at = ?
                    from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::time[], ?::time[], ?::varchar[])
                         as r(ref, name, locale, zone, tier, qs, qe, pref)
                    where s.external_ref = r.ref
                    returning s.id, s.external_ref""")) {
                update.setTimestamp(1, now);
                update.setArray(2, refs);
                update.setArray(3, names);
                update.setArray(4, locales);
                update.setArray(5, zones);
                update.setArray(6, tiers);
                update.setArray(7, quietStarts);
                update.setArray(8, quietEnds);
                update.setArray(9, preferences);
                try (ResultSet rs = update.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getString(2), rs.getLong(1));
                    }
                }
            }
            upsertContactPoints(c, batch, ids, Channel.EMAIL, now);
            upsertContactPoints(c, batch, ids, Channel.SMS, now);
            applyConsent(c, batch, ids, now);
            replaceSubscriptions(c, batch, ids);
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("Writing subscribers failed", e);
        }
    }

    private static void upsertContactPoints(Connection c, List<SubscriberRow> batch, Map<String, Long> ids,
            Channel channel, Timestamp now) throws SQLException {
        List<Long> subscribers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (SubscriberRow row : batch) {
            String address = channel == Channel.EMAIL ? row.email() : row.phone();
            if (address != null) {
                subscribers.add(ids.get(row.externalRef()));
                addresses.add(address);
            }
        }
        if (subscribers.isEmpty()) {
            return;
        }
        // A changed address starts over: not verified, not bounced, no consent, not opted out.
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into contact_point (subscriber_id, channel, address, created_at, updated_at)
                select sid, ?, address, ?, ? from unnest(?::bigint[], ?::varchar[]) as r(sid, address)
                on conflict (subscriber_id, channel) do update set
                    address = excluded.address,
                    updated_at = excluded.updated_at,
                    verified = contact_point.verified and contact_point.address = excluded.address,
                    bounced_at = case when contact_point.address = excluded.address then contact_point.bounced_at end,
                    consent_at = case when contact_point.address = excluded.address then contact_point.consent_at end,
                    consent_source = case when contact_point.address = excluded.address then contact_point.consent_source end,
                    opted_out_at = case when contact_point.address = excluded.address then contact_point.opted_out_at end,
                    opted_out_via = case when contact_point.address = excluded.address then contact_point.opted_out_via end""")) {
            upsert.setString(1, channel.name());
            upsert.setTimestamp(2, now);
            upsert.setTimestamp(3, now);
            upsert.setArray(4, c.createArrayOf("bigint", subscribers.toArray()));
            upsert.setArray(5, c.createArrayOf("varchar", addresses.toArray()));
            upsert.executeUpdate();
        }
    }

    /** An opt-out (STOP) is never undone by an import: only the recipient's own START does that. */
    private static void applyConsent(Connection c, List<SubscriberRow> batch, Map<String, Long> ids, Timestamp now)
            throws SQLException {
        List<Long> subscribers = new ArrayList<>();
        List<Boolean> consents = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (SubscriberRow row : batch) {
            if (row.smsConsent() != null) {
                subscribers.add(ids.get(row.externalRef()));
                consents.add(row.smsConsent());
                sources.add(row.consentSource());
            }
        }
        if (subscribers.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("""
                update contact_point cp set
                    consent_at = case when r.consent then coalesce(cp.consent_at, ?) end,
                    consent_source = case when r.consent then r.source end,
                    updated_at = ?
                from unnest(?::bigint[], ?::boolean[], ?::varchar[]) as r(sid, consent, source)
                where cp.subscriber_id = r.sid and cp.channel = 'SMS'""")) {
            update.setTimestamp(1, now);
            update.setTimestamp(2, now);
            update.setArray(3, c.createArrayOf("bigint", subscribers.toArray()));
            update.setArray(4, c.createArrayOf("boolean", consents.toArray()));
            update.setArray(5, c.createArrayOf("varchar", sources.toArray()));
            update.executeUpdate();
        }
    }

    private static void replaceSubscriptions(Connection c, List<SubscriberRow> batch, Map<String, Long> ids)
            throws SQLException {
        List<Long> replaced = new ArrayList<>();
        List<Long> subscribers = new ArrayList<>();
        List<String> scopes = new ArrayList<>();
        for (SubscriberRow row : batch) {
            if (row.subscriptions() != null) {
                Long id = ids.get(row.externalRef());
                replaced.add(id);
                for (String scope : row.subscriptions()) {
                    subscribers.add(id);
                    scopes.add(scope);
                }
            }
        }
        if (replaced.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement("delete from subscription where subscriber_id = any(?)")) {
            delete.setArray(1, c.createArrayOf("bigint", replaced.toArray()));
            delete.executeUpdate();
        }
        if (subscribers.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("""
                insert into subscription (subscriber_id, scope)
                select sid, scope from unnest(?::bigint[], ?::varchar[]) as r(sid, scope)
                on conflict do nothing""")) {
            insert.setArray(1, c.createArrayOf("bigint", subscribers.toArray()));
            insert.setArray(2, c.createArrayOf("varchar", scopes.toArray()));
            insert.executeUpdate();
        }
    }

    private static Array varchars(Connection c, List<SubscriberRow> rows,
            java.util.function.Function<SubscriberRow, String> field) throws SQLException {
        return c.createArrayOf("varchar", rows.stream().map(field).toArray());
    }
}
