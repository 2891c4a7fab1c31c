package io.incidentcomms.platform.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs one statement through plain JDBC (parameters as JDBC takes them, arrays as Java arrays)
 * and reads every row it returns, by column name. For the statements the dispatcher runs per
 * batch: through Hibernate's native-query handling they cost the service more CPU than the
 * database spent on them. Inside a transaction the statement runs on that transaction's
 * connection; outside one, on its own.
 */
@ApplicationScoped
public class SqlRows {

    private final DataSource dataSource;

    SqlRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> list(String sql, List<?> parameters, RowCursor.RowReader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(reader.read(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Running " + firstLine(sql) + " failed", e);
        }
    }

    /** Sets a statement's parameters in order, as JDBC takes them. */
    static void bind(PreparedStatement statement, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    /** What names a statement in an error: its first line, never its parameters. */
    static String firstLine(String sql) {
        return sql.strip().lines().findFirst().orElse("");
    }
}
