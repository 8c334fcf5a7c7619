package io.kakehashi.ai.sql;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.edc.spi.result.Result;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Parses SQL with DuckDB's own parser ({@code json_serialize_sql}) into its syntax tree as JSON, and turns a tree back
 * into SQL ({@code json_deserialize_sql}), on a private in-memory database that holds no data. Using the engine's own
 * parser means the tree that is checked is the query that runs: the runner executes the SQL rendered from the
 * checked tree, never the consumer's text. Thread-safe: each call opens its own connection.
 */
final class DuckDbSqlParser {

    private volatile Set<String> aggregateFunctions;

    /** The single statement of a query, as DuckDB's tree; a failure when it is not exactly one SELECT. */
    Result<JsonObject> parseSelect(String sql) {
        try (var connection = open(); var statement = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            statement.setString(1, sql);
            try (var rows = statement.executeQuery()) {
                rows.next();
                var parsed = Json.createReader(new StringReader(rows.getString(1))).readObject();
                if (parsed.getBoolean("error", false)) {
                    var message = parsed.getString("error_message", "the query cannot be parsed");
                    return Result.failure(message.contains("Only SELECT") ? "only a SELECT query may run (no writes, COPY, ATTACH, SET, INSTALL or LOAD)"
                            : "malformed SQL: " + message);
                }
                var statements = parsed.getJsonArray("statements");
                if (statements.size() != 1) {
                    return Result.failure("exactly one SELECT statement may run, not %d".formatted(statements.size()));
                }
                return Result.success(statements.getJsonObject(0));
            }
        } catch (SQLException e) {
            return Result.failure("malformed SQL: " + SqlErrors.describe(e));
        }
    }

    /** SQL text for a checked tree. */
    Result<String> render(JsonObject statement) {
        var wrapper = Json.createObjectBuilder().add("error", false).add("statements", Json.createArrayBuilder().add(statement)).build();
        try (var connection = open(); var prepared = connection.prepareStatement("SELECT json_deserialize_sql(?::JSON)")) {
            prepared.setString(1, wrapper.toString());
            try (var rows = prepared.executeQuery()) {
                rows.next();
                return Result.success(rows.getString(1));
            }
        } catch (SQLException e) {
            return Result.failure("the query cannot be rewritten: " + SqlErrors.describe(e));
        }
    }

    /** The names of DuckDB's aggregate functions, read once from the engine itself. */
    Set<String> aggregateFunctions() {
        var known = aggregateFunctions;
        if (known == null) {
            known = new HashSet<>();
            try (var connection = open(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'")) {
                while (rows.next()) {
                    known.add(rows.getString(1).toLowerCase(java.util.Locale.ROOT));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("DuckDB cannot list its aggregate functions", e);
            }
            aggregateFunctions = Set.copyOf(known);
        }
        return aggregateFunctions;
    }

    private static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }
}
