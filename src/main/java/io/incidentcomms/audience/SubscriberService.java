package io.incidentcomms.audience;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.incidentcomms.audience.SubscriberViews.ContactPointView;
import io.incidentcomms.audience.SubscriberViews.ImportReport;
import io.incidentcomms.audience.SubscriberViews.Page;
import io.incidentcomms.audience.SubscriberViews.RowError;
import io.incidentcomms.audience.SubscriberViews.SubscriberView;
import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.platform.problem.Problem.FieldViolation;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class SubscriberService {

    private static final Logger LOG = Logger.getLogger(SubscriberService.class);
    static final int BATCH = 5000;
    static final int LANES = 2;
    static final int FIRST_BATCH = 500;
    private static final int MAX_REPORTED_ERRORS = 1000;

    public enum ImportFormat {
        JSON_LINES, CSV
    }

    private final SubscriberStore store;
    private final AudienceConfig config;
    private final ObjectMapper mapper;
    private final DataSource dataSource;
    private final EntityManager em;
    private final Clock clock;
    private final AuditLog audit;
    private final ManagedExecutor writer;
    private final Event<SubscriberErased> erased;
    private final TimeZones timeZones;

    SubscriberService(SubscriberStore store, AudienceConfig config, ObjectMapper mapper, DataSource dataSource,
            EntityManager em, Clock clock, AuditLog audit, ManagedExecutor writer, Event<SubscriberErased> erased,
            TimeZones timeZones) {
        this.timeZones = timeZones;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
        this.dataSource = dataSource;
        this.em = em;
        this.clock = clock;
        this.audit = audit;
        this.writer = writer;
        this.erased = erased;
    }

    /** Creates a subscriber; 409 when the external ref exists. */
    @Transactional
    public SubscriberView create(SubscriberInput input) {
        SubscriberRow row = parseOrThrow(input);
        if (Subscriber.findByRef(row.externalRef()).isPresent()) {
            throw ProblemException.conflict("subscriber-exists", "Subscriber " + row.externalRef() + " already exists");
        }
        store.upsert(List.of(row), true);
        return get(row.externalRef());
    }

    /** Creates or updates: given fields replace, absent fields stay. */
    @Transactional
    public SubscriberView upsert(String externalRef, SubscriberInput input) {
        if (input.externalRef() != null && !input.externalRef().equals(externalRef)) {
            throw ProblemException.invalidField("externalRef", "must match the address (" + externalRef + ")");
        }
        store.upsert(List.of(parseOrThrow(input.withExternalRef(externalRef))), true);
        return get(externalRef);
    }

    @Transactional
    public SubscriberView get(String externalRef) {
        Subscriber subscriber = Subscriber.findByRef(externalRef)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + externalRef));
        return view(subscriber);
    }

    @Transactional
    public Page<SubscriberView> list(int page, int size) {
        var query = Subscriber.<Subscriber>find("erasedAt is null order by id");
        return new Page<>(query.page(page, size).list().stream().map(this::view).toList(), page, size, query.count());
    }

    /**
     * Erases personal data (name, email, phone, message texts) and keeps anonymous counts: the
     * subscriber row remains without its name and ref, contact points without their addresses.
     */
    @Transactional
    public void erase(String externalRef, Actor actor) {
        Subscriber subscriber = Subscriber.findByRef(externalRef)
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + externalRef));
        Timestamp now = Timestamp.from(clock.instant());
        em.createNativeQuery("""
                update contact_point set address = null, consent_source = null, verified = false, updated_at = ?1
                where subscriber_id = ?2""").setParameter(1, now).setParameter(2, subscriber.id).executeUpdate();
        em.createNativeQuery("delete from incident_mute where subscriber_id = ?1").setParameter(1, subscriber.id)
                .executeUpdate();
        erased.fire(new SubscriberErased(subscriber.id));
        em.createNativeQuery("""
                update subscriber set external_ref = 'erased-' || id, name = null, quiet_start = null, quiet_end = null,
                    scopes = '{}',
                    erased_at = ?1, updated_at = ?1 where id = ?2""")
                .setParameter(1, now).setParameter(2, subscriber.id).executeUpdate();
        audit.record(actor, "subscriber.erase", "subscriber:" + subscriber.id, null);
    }

    /**
     * Imports JSON lines or CSV as it streams in, in batches with their own transactions: good rows
     * are kept, bad rows come back with their row numbers.
     */
    public ImportReport importRows(InputStream body, ImportFormat format) {
        ImportState state = new ImportState();
        try {
            if (format == ImportFormat.CSV) {
                importCsv(body, state);
            } else {
                importJsonLines(body, state);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        state.finish();
        if (state.imported > 0) {
            store.mergePendingScopeEntries();
        }
        LOG.infof("Imported %d subscriber rows, rejected %d", state.imported, state.rejected);
        return new ImportReport(state.rows, state.imported, state.rejected, state.errors,
                state.rejected > state.errors.size());
    }

    /** A row of the import: at most this many characters (a subscriber with every field filled takes a few hundred). */
    static final int MAX_LINE = 64 * 1024;

    private void importJsonLines(InputStream body, ImportState state) throws IOException {
        ObjectReader reader = mapper.readerFor(SubscriberInput.class);
        BoundedLines lines = new BoundedLines(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16),
                MAX_LINE);
        BoundedLines.Line line;
        long number = 0;
        while ((line = lines.next()) != null) {
            number++;
            if (line.tooLong()) {
                state.reject(number, List.of(new FieldViolation("row", "is longer than " + MAX_LINE + " characters")));
                continue;
            }
            if (line.text().isBlank()) {
                continue;
            }
            SubscriberInput input;
            try {
                input = reader.readValue(line.text());
            } catch (JsonProcessingException e) {
                input = null;
            }
            if (input == null) {
                state.reject(number, List.of(new FieldViolation("row", "is not a JSON object")));
                continue;
            }
            state.accept(number, input);
        }
    }

    /**
     * CSV with a header row. Each record is read as a list of fields, so a record with more or
     * fewer fields than the header (an unquoted comma: {@code Doe, Jane}) is reported with its row
     * number and the import goes on; only a broken quote, after which no record boundary can be
     * trusted, ends it (reported too).
     */
    private void importCsv(InputStream body, ImportState state) throws IOException {
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.TRIM_SPACES);
        csv.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        MappingIterator<List<String>> records = csv.readerFor(List.class).with(CsvSchema.emptySchema())
                .readValues(new BoundedReader(new InputStreamReader(body, StandardCharsets.UTF_8), MAX_LINE));
        List<String> header = null;
        long number = 0;
        while (true) {
            List<String> record;
            try {
                if (!records.hasNextValue()) {
                    break;
                }
                record = records.nextValue();
            } catch (RuntimeException | IOException e) {
                state.reject(number + 1, List.of(new FieldViolation("row",
                        "cannot be read as CSV (a quote left open, or a line over " + MAX_LINE + " characters); the import stops here")));
                break;
            }
            number++;
            if (header == null) {
                header = record.stream().map(String::trim).toList();
                continue;
            }
            if (record.size() != header.size()) {
                state.reject(number, List.of(new FieldViolation("row", "has " + record.size() + " fields where the header has "
                        + header.size() + " (quote a value that holds a comma)")));
                continue;
            }
            Map<String, String> fields = new java.util.HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), record.get(i));
            }
            state.accept(number, fromCsv(fields));
        }
    }

    /** A reader that fails once a line runs longer than the cap, so no CSV field can fill the memory. */
    private static final class BoundedReader extends java.io.FilterReader {
        private final int maxLine;
        private int sinceBreak;

        BoundedReader(java.io.Reader in, int maxLine) {
            super(in);
            this.maxLine = maxLine;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            for (int i = offset; i < offset + Math.max(read, 0); i++) {
                sinceBreak = buffer[i] == '\n' ? 0 : sinceBreak + 1;
                if (sinceBreak > maxLine) {
                    throw new IOException("A line is longer than " + maxLine + " characters");
                }
            }
            return read;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            sinceBreak = c == '\n' ? 0 : sinceBreak + 1;
            if (sinceBreak > maxLine) {
                throw new IOException("A line is longer than " + maxLine + " characters");
            }
            return c;
        }
    }

    private static SubscriberInput fromCsv(Map<String, String> r) {
        return new SubscriberInput(r.get("externalRef"), r.get("name"), r.get("locale"), r.get("timeZone"),
                r.get("tier"), r.get("email"), r.get("phone"), bool(r.get("smsConsent")), r.get("consentSource"),
                list(r.get("subscriptions")), r.get("quietHours"), list(r.get("channelPreference")));
    }

    private static List<String> list(String cell) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        return Arrays.stream(cell.split("[;\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static Boolean bool(String cell) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        return switch (cell.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> null;
        };
    }

    /** Writes every subscriber as JSON lines, in the import format, from a database cursor. */
    public void export(OutputStream out) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement query = c.prepareStatement("""
                    select s.external_ref, s.name, s.locale, s.time_zone, s.tier, s.quiet_start, s.quiet_end,
                           array_to_string(s.channel_preference, ','), e.address, p.address, p.consent_at is not null,
                           p.consent_source,
                           array_to_string(s.scopes, ' ')
                    from subscriber s
                    left join contact_point e on e.subscriber_id = s.id and e.channel = 'EMAIL'
                    left join contact_point p on p.subscriber_id = s.id and p.channel = 'SMS'
                    where s.erased_at is null order by s.id""")) {
                query.setFetchSize(1000);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        String quiet = rs.getTime(6) == null ? null
                                : rs.getTime(6).toLocalTime() + "-" + rs.getTime(7).toLocalTime();
                        SubscriberInput row = new SubscriberInput(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5).toLowerCase(Locale.ROOT), rs.getString(9),
                                rs.getString(10), rs.getString(10) == null ? null : rs.getBoolean(11),
                                rs.getString(12), list(rs.getString(13)) == null ? List.of() : list(rs.getString(13)),
                                quiet, Arrays.stream(rs.getString(8).split(",")).map(s -> s.toLowerCase(Locale.ROOT)).toList());
                        out.write(mapper.writeValueAsBytes(row));
                        out.write('\n');
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Export failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SubscriberRow parseOrThrow(SubscriberInput input) {
        SubscriberRow.Parsed parsed = SubscriberRow.parse(1, input, config.defaultPhoneRegion().orElse(null), timeZones::known);
        if (!parsed.valid()) {
            throw new ProblemException(400, "validation-failed", "Bad Request", "The request is not valid: see errors",
                    parsed.errors());
        }
        return parsed.row();
    }

    private SubscriberView view(Subscriber s) {
        List<ContactPointView> contactPoints = ContactPoint.of(s).stream()
                .filter(cp -> cp.address != null)
                .map(cp -> new ContactPointView(cp.channel, cp.address, cp.verified, cp.consentAt, cp.consentSource,
                        cp.optedOutAt, cp.optedOutVia, cp.bouncedAt))
                .toList();
        List<String> subscriptions = s.scopes.stream().sorted().toList();
        return new SubscriberView(s.externalRef, s.name, s.locale, s.timeZone, s.tier, quietHours(s.quietStart, s.quietEnd),
                s.channelPreference.stream().map(Channel::valueOf).toList(), contactPoints, subscriptions, s.createdAt,
                s.updatedAt);
    }

    private static String quietHours(LocalTime start, LocalTime end) {
        return start == null || end == null ? null : start + "-" + end;
    }

    /**
     * Rows collected into batches; each batch is written in its own transaction. Rows are dealt to
     * {@link #LANES} lanes by external ref, and the lanes write at the same time: one PostgreSQL
     * backend maintaining the indexes was the import's bottleneck. A ref always goes to the same
     * lane, so its rows still apply in file order. A lane's first batch is small and each next one
     * twice as large up to {@link #BATCH}, so that a small import is written while it is parsed too.
     */
    private final class ImportState {
        final List<Lane> lanes = new ArrayList<>(LANES);
        final List<RowError> errors = new ArrayList<>();
        long rows;
        long imported;
        long rejected;

        ImportState() {
            for (int i = 0; i < LANES; i++) {
                lanes.add(new Lane());
            }
        }

        void accept(long number, SubscriberInput input) {
            rows++;
            SubscriberRow.Parsed parsed = SubscriberRow.parse((int) number, input, config.defaultPhoneRegion().orElse(null),
                    timeZones::known);
            if (!parsed.valid()) {
                rows--;
                reject(number, parsed.errors());
                return;
            }
            Lane lane = lanes.get(Math.floorMod(parsed.row().externalRef().hashCode(), LANES));
            if (lane.rows.size() == lane.batchSize) {
                write(lane, false);
                lane.batchSize = Math.min(BATCH, lane.batchSize * 2);
            }
            lane.rows.add(parsed.row());
        }

        void reject(long number, List<FieldViolation> violations) {
            rows++;
            rejected++;
            for (FieldViolation violation : violations) {
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(new RowError(number, violation.field(), violation.message()));
                }
            }
        }

        /** Writes the lane's rows while the next ones are parsed, once its previous batch is in. */
        private void write(Lane lane, boolean durable) {
            lane.awaitWrite();
            if (lane.rows.isEmpty()) {
                return;
            }
            List<SubscriberRow> batch = new ArrayList<>(lane.rows);
            lane.rows.clear();
            imported += batch.size();
            lane.writing = writer.submit(() -> store.upsert(batch, durable));
        }

        /**
         * Writes what is left in the lanes, after every earlier batch is in, with commits that wait
         * for the disk: the write-ahead log is flushed in order, so they cover every earlier batch.
         * A lane is emptied only when a row is added to it, so one is left when a row was accepted.
         */
        void finish() {
            lanes.forEach(Lane::awaitWrite);
            lanes.forEach(lane -> write(lane, true));
            lanes.forEach(Lane::awaitWrite);
        }
    }

    /** Rows of one lane not yet written, the size its next batch waits for, and its batch being written. */
    private static final class Lane {
        final List<SubscriberRow> rows = new ArrayList<>(BATCH);
        int batchSize = FIRST_BATCH;
        java.util.concurrent.Future<?> writing;

        void awaitWrite() {
            if (writing == null) {
                return;
            }
            try {
                writing.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The import was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("Writing subscribers failed", e.getCause());
            } finally {
                writing = null;
            }
        }
    }

}
