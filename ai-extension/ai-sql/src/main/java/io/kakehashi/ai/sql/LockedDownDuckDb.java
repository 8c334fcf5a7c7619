package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.TabularAsset;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A private in-memory DuckDB holding one asset as the table {@code asset}, locked down before any consumer SQL
 * reaches it:
 * <ul>
 * <li>opened with the job's memory limit, no temporary directory (nothing spills to disk), no automatic install or
 * load of extensions and no community extensions;</li>
 * <li>the asset is copied in ({@code CREATE TABLE asset AS SELECT * FROM read_csv/read_parquet(…)});</li>
 * <li>then {@code enable_external_access=false} (no file, no URL, no ATTACH, no extension from then on) and
 * {@code lock_configuration=true} (no {@code SET} can undo any of it).</li>
 * </ul>
 * The consumer's query therefore sees a copy of its asset and nothing else; writing to the copy changes nothing of
 * the provider's data. Not thread-safe: one per job; close it when the job ends.
 */
final class LockedDownDuckDb implements AutoCloseable {

    private final Connection connection;

    private LockedDownDuckDb(Connection connection) {
        this.connection = connection;
    }

    static LockedDownDuckDb open(TabularAsset asset, JobLimits limits, int threads) throws SQLException {
        var settings = new Properties();
        settings.setProperty("memory_limit", Math.max(1, limits.memoryLimitBytes() / 1024) + "KiB");
        settings.setProperty("threads", String.valueOf(threads));
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        settings.setProperty("allow_community_extensions", "false");
        var connection = DriverManager.getConnection("jdbc:duckdb:", settings);
        try (var statement = connection.createStatement()) {
            // an in-memory database would otherwise spill to ./.tmp
            statement.execute("SET temp_directory = ''");
            statement.execute("CREATE TABLE " + AssetOnlyCheck.ASSET_TABLE + " AS SELECT * FROM " + reader(asset));
            statement.execute("SET enable_external_access = false");
            statement.execute("SET lock_configuration = true");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new LockedDownDuckDb(connection);
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private static String reader(TabularAsset asset) {
        // the path is the provider's configuration, never the consumer's; quoted as an SQL string literal
        var path = "'" + asset.file().toAbsolutePath().toString().replace("'", "''") + "'";
        return switch (asset.format()) {
            case CSV -> "read_csv(" + path + ", header = true)";
            case PARQUET -> "read_parquet(" + path + ")";
        };
    }
}
