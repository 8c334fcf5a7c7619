package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.sql.QueryExecutor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs schema files against a datasource in one transaction. The files use {@code CREATE ... IF NOT EXISTS}; a
 * transaction-scoped advisory lock keeps replicas that start together from racing on the catalog.
 */
final class SchemaCreator {

    // an arbitrary constant that names "Kakehashi schema creation" among advisory locks
    private static final long SCHEMA_LOCK_ID = 0x4B414B45L;

    private final DataSourceRegistry registry;
    private final String dataSource;
    private final TransactionContext trx;
    private final QueryExecutor executor;

    SchemaCreator(DataSourceRegistry registry, String dataSource, TransactionContext trx, QueryExecutor executor) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.trx = trx;
        this.executor = executor;
    }

    /**
     * Creates the schema from the given classpath resources, all or nothing: every file is read before anything
     * runs, and a statement that fails rolls the whole creation back.
     */
    Result<Void> create(List<String> resources) {
        var ds = registry.resolve(dataSource);
        if (ds == null) {
            return Result.failure("no datasource '%s' is configured (edc.datasource.%s.url)".formatted(dataSource, dataSource));
        }
        var scripts = new ArrayList<String>();
        for (var resource : resources) {
            var sql = read(resource);
            if (sql == null) {
                return Result.failure("schema file %s is not on the classpath".formatted(resource));
            }
            scripts.add(sql);
        }
        try {
            trx.execute(() -> {
                try (var connection = ds.getConnection()) {
                    executor.execute(connection, "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_ID + ")");
                    scripts.forEach(sql -> executor.execute(connection, sql));
                } catch (SQLException e) {
                    throw new EdcPersistenceException(e);
                }
            });
            return Result.success();
        } catch (EdcPersistenceException e) {
            // the exception made the transaction roll back: nothing of the schema was created
            return Result.failure(e.getMessage());
        }
    }

    private String read(String resource) {
        try (InputStream in = SchemaCreator.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EdcPersistenceException(e);
        }
    }
}
