package io.incidentcomms.audience;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import io.incidentcomms.platform.problem.Problem.FieldViolation;

/**
 * Reads a subscriber import, JSON lines or CSV with a header row, every line bounded in length:
 * each row that reads is handed on with its number, each one that does not is reported with its
 * number, and reading goes on. Untrusted input: this is fuzzed ({@code ImportRowsFuzzTest}).
 */
final class ImportRowsReader {

    /** Where the rows go. */
    interface Rows {
        void accept(long number, SubscriberInput input);

        void reject(long number, List<FieldViolation> violations);
    }

    private final ObjectMapper mapper;

    ImportRowsReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void read(InputStream body, SubscriberImport.Format format, Rows rows) {
        try {
            if (format == SubscriberImport.Format.CSV) {
                readCsv(body, rows);
            } else {
                readJsonLines(body, rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row of the import: at most this many characters (a subscriber with every field filled takes a few hundred). */
    static final int MAX_LINE = 64 * 1024;

    private void readJsonLines(InputStream body, Rows state) throws IOException {
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
    private void readCsv(InputStream body, Rows state) throws IOException {
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
}
