package io.incidentcomms.feedback;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.incidentcomms.platform.persistence.RowCursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * Who an incident never reached, for support to call: the count and the first few for the
 * summary, and the whole list as JSON or CSV, written as it is read from a database cursor.
 */
@ApplicationScoped
public class NotReachedList {

    /**
     * A subscriber whose latest message about the incident reached them on no channel: every
     * attempt failed, bounced or stayed uncertain, and nothing is still on its way. The contact
     * details are in clear: this list is for support to call.
     */
    @JsonPropertyOrder({ "subscriber", "name", "email", "phone", "updateSeq", "reasons" })
    public record NotReached(String subscriber, String name, String email, String phone, int updateSeq, String reasons) {

        static NotReached of(ResultSet row) throws SQLException {
            return new NotReached(row.getString("external_ref"), row.getString("name"), row.getString("email"),
                    row.getString("phone"), row.getInt("seq"), row.getString("reasons"));
        }

        static NotReached of(Tuple row) {
            return new NotReached(row.get("external_ref", String.class), row.get("name", String.class),
                    row.get("email", String.class), row.get("phone", String.class),
                    row.get("seq", Number.class).intValue(), row.get("reasons", String.class));
        }

        /**
         * Every cell a spreadsheet would take for a formula ({@code =}, {@code +}, {@code -},
         * {@code @}, a tab or a carriage return first) kept as text: addresses and numbers too.
         */
        NotReached inert() {
            return new NotReached(inert(subscriber), inert(name), inert(email), inert(phone), updateSeq, inert(reasons));
        }

        private static String inert(String text) {
            return text != null && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        }
    }

    /**
     * Per subscriber, the notifications of the latest update that was meant for them (superseded
     * ones aside), and whether any of them reached them, is under way, or failed. Only subscribers
     * with a failed or uncertain notification can be on the list, so only they are looked at: an
     * incident of 100k notifications with a few failures costs a scan of its index, not a grouping
     * of all of them. One parameter: the incident id.
     */
    private static final String NOT_REACHED = """
            with incident as (select ?::bigint as id),
            candidate as (
                select distinct subscriber_id from notification
                where incident_id = (select id from incident) and state in ('FAILED', 'UNCERTAIN')),
            latest as (
                select n.subscriber_id, n.incident_id, max(n.incident_update_id) as update_id
                from notification n join candidate c on c.subscriber_id = n.subscriber_id
                where n.incident_id = (select id from incident) and n.state <> 'SUPERSEDED'
                group by n.subscriber_id, n.incident_id),
            outcome as (
                select n.subscriber_id, n.incident_update_id,
                       bool_or(n.state in ('SENT', 'DELIVERED')) as reached,
                       bool_or(n.state in ('PLANNED', 'SENDING')) as under_way,
                       bool_or(n.state in ('FAILED', 'UNCERTAIN')) as failed,
                       string_agg(lower(n.channel) || ' ' || lower(n.state) || coalesce(': ' || n.last_error, ''), '; '
                                  order by n.id) as reasons
                from notification n join latest l on l.subscriber_id = n.subscriber_id and l.update_id = n.incident_update_id
                where n.incident_id = l.incident_id and n.state <> 'SUPERSEDED'
                group by n.subscriber_id, n.incident_update_id)
            select s.external_ref, s.name, email.address as email, phone.address as phone, u.seq, o.reasons
            from outcome o join subscriber s on s.id = o.subscriber_id
            join incident_update u on u.id = o.incident_update_id
            left join contact_point email on email.subscriber_id = s.id and email.channel = 'EMAIL'
            left join contact_point phone on phone.subscriber_id = s.id and phone.channel = 'SMS'
            where o.failed and not o.reached and not o.under_way and s.erased_at is null
            order by s.external_ref""";

    private final EntityManager em;
    private final RowCursor cursor;
    private final ObjectMapper mapper;

    NotReachedList(EntityManager em, RowCursor cursor, ObjectMapper mapper) {
        this.em = em;
        this.cursor = cursor;
        this.mapper = mapper;
    }

    @Transactional
    public long count(long incidentId) {
        return ((Number) em.createNativeQuery("select count(*) from (" + NOT_REACHED + ") nr")
                .setParameter(1, incidentId).getSingleResult()).longValue();
    }

    /** The first few, by subscriber ref. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<NotReached> first(long incidentId, int limit) {
        return ((List<Tuple>) em.createNativeQuery(NOT_REACHED + " limit ?", Tuple.class).setParameter(1, incidentId)
                .setParameter(2, limit).getResultList()).stream().map(NotReached::of).toList();
    }

    /** The whole list as a JSON array. */
    public void writeJson(long incidentId, OutputStream out) throws IOException {
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartArray();
            cursor.forEach(NOT_REACHED, List.of(incidentId), NotReached::of, row -> mapper.writeValue(json, row));
            json.writeEndArray();
        }
    }

    /** The whole list as CSV with a header row, every cell inert in a spreadsheet. */
    public void writeCsv(long incidentId, OutputStream out) throws IOException {
        CsvMapper csv = new CsvMapper();
        CsvSchema schema = csv.schemaFor(NotReached.class).withHeader();
        try (SequenceWriter writer = csv.writer(schema).writeValues(out)) {
            cursor.forEach(NOT_REACHED, List.of(incidentId), NotReached::of, row -> writer.write(row.inert()));
        }
    }
}
