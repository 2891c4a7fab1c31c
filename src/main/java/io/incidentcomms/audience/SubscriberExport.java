package io.incidentcomms.audience;

import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.persistence.RowCursor;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes every subscriber as JSON lines, in the import format, as the rows come from a database cursor. */
@ApplicationScoped
public class SubscriberExport {

    private static final String SUBSCRIBERS = """
            select s.external_ref, s.name, s.locale, s.time_zone, s.tier, s.quiet_start, s.quiet_end,
                   array_to_string(s.channel_preference, ',') as channel_preference, e.address as email,
                   p.address as phone, p.consent_at is not null as sms_consent, p.consent_source,
                   array_to_string(s.scopes, ' ') as subscriptions
            from subscriber s
            left join contact_point e on e.subscriber_id = s.id and e.channel = 'EMAIL'
            left join contact_point p on p.subscriber_id = s.id and p.channel = 'SMS'
            where s.erased_at is null order by s.id""";

    private final RowCursor cursor;
    private final ObjectMapper mapper;

    SubscriberExport(RowCursor cursor, ObjectMapper mapper) {
        this.cursor = cursor;
        this.mapper = mapper;
    }

    public void write(OutputStream out) {
        cursor.forEach(SUBSCRIBERS, List.of(), SubscriberExport::row, row -> {
            out.write(mapper.writeValueAsBytes(row));
            out.write('\n');
        });
    }

    private static SubscriberInput row(ResultSet rs) throws SQLException {
        String quiet = rs.getTime("quiet_start") == null ? null
                : rs.getTime("quiet_start").toLocalTime() + "-" + rs.getTime("quiet_end").toLocalTime();
        String phone = rs.getString("phone");
        String scopes = rs.getString("subscriptions");
        return new SubscriberInput(rs.getString("external_ref"), rs.getString("name"), rs.getString("locale"),
                rs.getString("time_zone"), rs.getString("tier").toLowerCase(Locale.ROOT), rs.getString("email"), phone,
                phone == null ? null : rs.getBoolean("sms_consent"), rs.getString("consent_source"),
                scopes == null || scopes.isBlank() ? List.of() : Arrays.stream(scopes.split(" ")).toList(), quiet,
                Arrays.stream(rs.getString("channel_preference").split(",")).map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
