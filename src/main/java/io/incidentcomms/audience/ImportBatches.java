package io.incidentcomms.audience;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.incidentcomms.audience.SubscriberViews.ImportReport;
import io.incidentcomms.audience.SubscriberViews.RowError;
import io.incidentcomms.platform.problem.Problem.FieldViolation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rows collected into batches; each batch is written in its own transaction. Rows are dealt to
 * {@link #LANES} lanes by external ref, and the lanes write at the same time: one PostgreSQL
 * backend maintaining the indexes was the import's bottleneck. A ref always goes to the same
 * lane, so its rows still apply in file order. A lane's first batch is small and each next one
 * twice as large up to {@link #BATCH}, so that a small import is written while it is parsed too.
 */
final class ImportBatches implements ImportRowsReader.Rows {

    private static final Logger LOG = Logger.getLogger(ImportBatches.class);
    static final int BATCH = 5000;
    static final int LANES = 2;
    static final int FIRST_BATCH = 500;
    private static final int MAX_REPORTED_ERRORS = 1000;
    static final int PROGRESS_EVERY = 1000;

    /** Starts the batches of one import. */
    @ApplicationScoped
    static class Factory {
        private final SubscriberStore store;
        private final AudienceConfig config;
        private final TimeZones timeZones;
        private final ManagedExecutor writer;

        Factory(SubscriberStore store, AudienceConfig config, TimeZones timeZones, ManagedExecutor writer) {
            this.store = store;
            this.config = config;
            this.timeZones = timeZones;
            this.writer = writer;
        }

        ImportBatches start(SubscriberImport.Progress progress) {
            return new ImportBatches(this, progress);
        }
    }

    /** The beans the batches write with. */
    private final Factory context;
    private final SubscriberImport.Progress progress;
    private final List<Lane> lanes = new ArrayList<>(LANES);
    private final List<RowError> errors = new ArrayList<>();
    private long rows;
    private long imported;
    private long rejected;

    private ImportBatches(Factory context, SubscriberImport.Progress progress) {
        this.context = context;
        this.progress = progress;
        for (int i = 0; i < LANES; i++) {
            lanes.add(new Lane());
        }
    }

    @Override
    public void accept(long number, SubscriberInput input) {
        if (number % PROGRESS_EVERY == 0) {
            progress.rows(rows, rejected);
        }
        rows++;
        SubscriberRow.Parsed parsed = SubscriberRow.parse((int) number, input, context.config.defaultPhoneRegion().orElse(null),
                context.timeZones::known);
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

    @Override
    public void reject(long number, List<FieldViolation> violations) {
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
        lane.writing = context.writer.submit(() -> context.store.upsert(batch, durable));
    }

    /**
     * Writes what is left in the lanes, after every earlier batch is in, with commits that wait
     * for the disk: the write-ahead log is flushed in order, so they cover every earlier batch.
     * A lane is emptied only when a row is added to it, so one is left when a row was accepted.
     */
    ImportReport finish() {
        lanes.forEach(Lane::awaitWrite);
        lanes.forEach(lane -> write(lane, true));
        lanes.forEach(Lane::awaitWrite);
        if (imported > 0) {
            context.store.mergePendingScopeEntries();
        }
        LOG.infof("Imported %d subscriber rows, rejected %d", imported, rejected);
        return new ImportReport(rows, imported, rejected, errors, rejected > errors.size());
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
