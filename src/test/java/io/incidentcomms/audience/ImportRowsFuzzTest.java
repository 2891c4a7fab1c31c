package io.incidentcomms.audience;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.problem.Problem.FieldViolation;
import io.incidentcomms.support.Json;

/**
 * Any upload, JSON lines or CSV, is read to its end row by row: every row is either handed on or
 * reported with its number, numbers only grow, and checking a row that was handed on never fails
 * (it is valid, or it comes back with its errors). Seeds in {@code ImportRowsFuzzTestInputs/}
 * (the first byte picks the format: even CSV, odd JSON lines); fuzz with {@code JAZZER_FUZZ=1}.
 */
class ImportRowsFuzzTest {

    static final ObjectMapper JSON = Json.likeTheService();
    static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    /** Collects what the reader hands on. */
    static final class Collected implements ImportRowsReader.Rows {
        final List<Long> numbers = new ArrayList<>();
        final List<SubscriberInput> accepted = new ArrayList<>();
        final List<Long> acceptedNumbers = new ArrayList<>();

        @Override
        public void accept(long number, SubscriberInput input) {
            numbers.add(number);
            accepted.add(input);
            acceptedNumbers.add(number);
        }

        @Override
        public void reject(long number, List<FieldViolation> violations) {
            numbers.add(number);
            assertTrue(!violations.isEmpty(), "a rejected row says why");
        }
    }

    @FuzzTest(maxDuration = "2m")
    void anyUploadIsReadToItsEndAndEveryRowIsHandedOnOrReported(FuzzedDataProvider data) {
        SubscriberImport.Format format = data.consumeByte() % 2 == 0 ? SubscriberImport.Format.CSV
                : SubscriberImport.Format.JSON_LINES;
        byte[] body = data.consumeRemainingAsBytes();
        Collected rows = new Collected();

        new ImportRowsReader(JSON).read(new ByteArrayInputStream(body), format, rows);

        for (int i = 1; i < rows.numbers.size(); i++) {
            assertTrue(rows.numbers.get(i) >= rows.numbers.get(i - 1), "row numbers only grow: " + rows.numbers);
        }
        for (int i = 0; i < rows.accepted.size(); i++) {
            SubscriberRow.Parsed parsed = SubscriberRow.parse(rows.acceptedNumbers.get(i).intValue(), rows.accepted.get(i),
                    "GB", ZONES::contains);
            assertTrue(parsed.valid() || !parsed.errors().isEmpty(), "an invalid row says why");
            // the database keeps no NUL character: a row that passes must not hold one
            assertTrue(!parsed.valid() || parsed.row().toString().indexOf('\u0000') < 0, "a valid row holds no NUL");
        }
    }
}
