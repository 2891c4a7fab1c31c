package io.incidentcomms.console;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.audience.SubscriberImport;
import io.incidentcomms.audience.SubscriberViews.ImportReport;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Subscriber files imported from the console, in the background: the upload is answered at once
 * with a page that follows the import, whose progress (bytes and rows read) and report are kept in
 * {@code console_import} so that any replica can show them. An import whose replica went away stops
 * being updated and is shown as stopped.
 */
@ApplicationScoped
public class SubscriberImportJobs {

    private static final Logger LOG = Logger.getLogger(SubscriberImportJobs.class);
    /** Progress is written at most this often. */
    private static final Duration PROGRESS_WRITES = Duration.ofMillis(500);
    /** A running import not updated for this long has lost its replica. */
    static final Duration STALLED = Duration.ofMinutes(2);

    /** One import as its page shows it. */
    public record ImportJob(UUID id, String startedBy, String fileName, long bytes, long bytesRead, long rowsRead,
            long rejected, Instant startedAt, Instant finishedAt, ImportReport report, String failure, boolean stalled) {

        public boolean running() {
            return finishedAt == null && !stalled;
        }

        public int percent() {
            return bytes == 0 ? 100 : (int) Math.min(100, bytesRead * 100 / bytes);
        }
    }

    private final SubscriberImport imports;
    private final ManagedExecutor executor;
    private final EntityManager em;
    private final ObjectMapper mapper;
    private final Clock clock;

    SubscriberImportJobs(SubscriberImport imports, ManagedExecutor executor, EntityManager em, ObjectMapper mapper,
            Clock clock) {
        this.imports = imports;
        this.executor = executor;
        this.em = em;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Takes over the uploaded file (the request deletes its own copy) and starts importing it; answers the import's id. */
    public UUID start(Path upload, String fileName, SubscriberImport.Format format, String startedBy) {
        UUID id = UUID.randomUUID();
        Path file;
        long bytes;
        try {
            file = Files.createTempFile("console-import-", ".upload");
            Files.move(upload, file, StandardCopyOption.REPLACE_EXISTING);
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Timestamp now = Timestamp.from(clock.instant());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into console_import (id, started_by, file_name, bytes, started_at, updated_at)
                values (?1, ?2, ?3, ?4, ?5, ?5)""")
                .setParameter(1, id).setParameter(2, startedBy).setParameter(3, clip(fileName, 200))
                .setParameter(4, bytes).setParameter(5, now).executeUpdate());
        executor.execute(() -> run(id, file, format));
        return id;
    }

    public Optional<ImportJob> find(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Tuple> rows = em.createNativeQuery("""
                    select id, started_by, file_name, bytes, bytes_read, rows_read, rejected, started_at, updated_at,
                           finished_at, report, failure
                    from console_import where id = ?1""", Tuple.class).setParameter(1, id).getResultList();
            return rows.stream().findFirst().map(this::job);
        });
    }

    private void run(UUID id, Path file, SubscriberImport.Format format) {
        try (CountingStream in = new CountingStream(Files.newInputStream(file))) {
            ProgressWriter progress = new ProgressWriter(id, in);
            ImportReport report = imports.importRows(in, format, progress);
            finish(id, in.count, report.rows(), report.rejected(), mapper.writeValueAsString(report), null);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Console import %s stopped: %s", id, e.getClass().getSimpleName());
            finish(id, 0, 0, 0, null, "The import stopped after an error on our side; rows read before it may have been imported. "
                    + "Import the file again: rows already in are updated, not repeated.");
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("Could not delete the upload of import %s", id);
            }
        }
    }

    private void finish(UUID id, long bytesRead, long rows, long rejected, String report, String failure) {
        Timestamp now = Timestamp.from(clock.instant());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update console_import
                set bytes_read = case when ?2 then bytes else bytes_read end,
                    rows_read = case when ?2 then ?3 else rows_read end,
                    rejected = case when ?2 then ?4 else rejected end,
                    report = ?5, failure = ?6, finished_at = ?7, updated_at = ?7
                where id = ?1""")
                .setParameter(1, id).setParameter(2, failure == null).setParameter(3, rows).setParameter(4, rejected)
                .setParameter(5, report).setParameter(6, failure).setParameter(7, now).executeUpdate());
    }

    /** Forgets imports finished (or stalled) more than a week ago. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOld() {
        Timestamp weekAgo = Timestamp.from(clock.instant().minus(Duration.ofDays(7)));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "delete from console_import where updated_at < ?1").setParameter(1, weekAgo).executeUpdate());
    }

    private ImportJob job(Tuple row) {
        Instant updatedAt = SqlTimes.instant(row.get("updated_at"));
        Instant finishedAt = row.get("finished_at") == null ? null : SqlTimes.instant(row.get("finished_at"));
        String report = (String) row.get("report");
        try {
            return new ImportJob((UUID) row.get("id"), (String) row.get("started_by"), (String) row.get("file_name"),
                    number(row, "bytes"), number(row, "bytes_read"), number(row, "rows_read"), number(row, "rejected"),
                    SqlTimes.instant(row.get("started_at")), finishedAt,
                    report == null ? null : mapper.readValue(report, ImportReport.class), (String) row.get("failure"),
                    finishedAt == null && updatedAt.isBefore(clock.instant().minus(STALLED)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An import report that does not read back", e);
        }
    }

    private static long number(Tuple row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static String clip(String text, int length) {
        String value = text == null || text.isBlank() ? "(no name)" : text;
        return value.length() <= length ? value : value.substring(0, length);
    }

    /** Writes how far the import got, at most every {@link #PROGRESS_WRITES}. */
    private final class ProgressWriter implements SubscriberImport.Progress {
        private final UUID id;
        private final CountingStream in;
        private Instant lastWrite = Instant.EPOCH;

        ProgressWriter(UUID id, CountingStream in) {
            this.id = id;
            this.in = in;
        }

        @Override
        public void rows(long read, long rejected) {
            Instant now = clock.instant();
            if (now.isBefore(lastWrite.plus(PROGRESS_WRITES))) {
                return;
            }
            lastWrite = now;
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                    update console_import set bytes_read = ?2, rows_read = ?3, rejected = ?4, updated_at = ?5
                    where id = ?1""")
                    .setParameter(1, id).setParameter(2, in.count).setParameter(3, read).setParameter(4, rejected)
                    .setParameter(5, Timestamp.from(now)).executeUpdate());
        }
    }

    /** Counts the bytes the import has taken from the file, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
