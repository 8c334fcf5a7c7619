package io.kakehashi.ai.store.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.eclipse.edc.json.JacksonTypeManager;

/**
 * The tests' PostgreSQL ({@link PostgresTestServer}: the configured server, or an embedded one); each test class
 * works in a schema of its own.
 *
 * <p>The stores reach it as they do in the connector: through EDC's local transaction manager and data source
 * registry, whose connections refuse {@code setAutoCommit}, {@code commit} and {@code rollback}.
 */
final class ComputeTestDatabase {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    private static final String DATABASE = POSTGRES.testDatabase();

    /** The mapper the stores get in a runtime: its {@code TypeManager}'s. */
    static final ObjectMapper MAPPER = new JacksonTypeManager().getMapper();

    final TransactionalDatabase database;

    private ComputeTestDatabase(String schema) {
        database = POSTGRES.transactionalDatabase(DATABASE, schema);
    }

    /**
     * An empty schema with the compute tables.
     */
    static ComputeTestDatabase freshSchema(String schema) {
        POSTGRES.recreateSchema(DATABASE, schema);
        var test = new ComputeTestDatabase(schema);
        ComputeSchema.create(test.database);
        return test;
    }

    /**
     * A second connector on the same schema: its own transaction manager and registry, as after a restart.
     */
    static ComputeTestDatabase reopen(String schema) {
        return new ComputeTestDatabase(schema);
    }
}
