package io.incidentcomms.audience;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads a text line by line with a cap on a line's length: a longer line is reported as too long
 * and skipped to its end, so a file without line breaks cannot fill the memory.
 */
final class BoundedLines {

    /** One line, or the news that it was too long (its text is then not kept). */
    record Line(String text, boolean tooLong) {
    }

    private final Reader reader;
    private final int maxLength;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private final StringBuilder line = new StringBuilder();

    BoundedLines(Reader reader, int maxLength) {
        this.reader = reader;
        this.maxLength = maxLength;
    }

    /** The next line without its line break, or null at the end. */
    Line next() throws IOException {
        line.setLength(0);
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    break;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int take = Math.min(position - start, Math.max(0, maxLength - line.length()));
            line.append(buffer, start, take);
            tooLong |= take < position - start;
            if (position < limit) {
                position++;
                break;
            }
        }
        if (!any) {
            return null;
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return new Line(tooLong ? null : line.toString(), tooLong);
    }
}
