package io.incidentcomms.audience;

import java.io.InputStream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.audience.SubscriberViews.ImportReport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Imports subscribers as the upload streams in: {@link ImportRowsReader} reads the rows and
 * {@link ImportBatches} writes them.
 */
@ApplicationScoped
public class SubscriberImport {

    public enum Format {
        JSON_LINES, CSV
    }

    private final ObjectMapper mapper;
    private final ImportBatches.Factory batches;

    SubscriberImport(ObjectMapper mapper, ImportBatches.Factory batches) {
        this.mapper = mapper;
        this.batches = batches;
    }

    /**
     * Imports JSON lines or CSV as it streams in, in batches with their own transactions: good rows
     * are kept, bad rows come back with their row numbers.
     */
    public ImportReport importRows(InputStream body, Format format) {
        return importRows(body, format, (rows, rejected) -> {
        });
    }

    /** The same, telling {@code progress} how far it got every {@value ImportBatches#PROGRESS_EVERY} rows. */
    public ImportReport importRows(InputStream body, Format format, Progress progress) {
        ImportBatches state = batches.start(progress);
        new ImportRowsReader(mapper).read(body, format, state);
        return state.finish();
    }

    /** Rows read so far, and how many of them were rejected. */
    @FunctionalInterface
    public interface Progress {
        void rows(long read, long rejected);
    }
}
