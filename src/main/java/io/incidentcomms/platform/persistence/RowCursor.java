package io.incidentcomms.platform.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a query's rows through a database cursor, a thousand at a time, and hands each to the
 * caller as it comes: for lists written straight to a response (exports, the not-reached list),
 * so their size never has to fit in memory. Runs in a read-only transaction of its own.
 */
@ApplicationScoped
public class RowCursor {

    static final int FETCH_SIZE = 1000;

    /** Makes one row's record from the current row, reading columns by name. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Takes one row; may write to a response. */
    @FunctionalInterface
    public interface RowWriter<T> {
        void write(T row) throws IOException;
    }

    private final DataSource dataSource;

    RowCursor(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> void forEach(String sql, List<?> parameters, RowReader<T> reader, RowWriter<T> writer) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement query = c.prepareStatement(sql)) {
                SqlRows.bind(query, parameters);
                query.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        writer.write(reader.read(rs));
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading " + SqlRows.firstLine(sql) + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
