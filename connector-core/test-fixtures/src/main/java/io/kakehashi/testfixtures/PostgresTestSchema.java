package io.kakehashi.testfixtures;

import io.kakehashi.core.spi.sql.TransactionalDatabase;

/**
 * A schema in a database that one test class has to itself, on the {@link PostgresTestServer}: the database is made
 * afresh when the class asks for it, {@link #empty()} drops everything in the schema, and each {@link #replica()} is
 * another connector reaching the same tables. Thread-safe.
 */
public final class PostgresTestSchema {

    private final PostgresTestServer server;
    private final String database;
    private final String schema;

    private PostgresTestSchema(PostgresTestServer server, String database, String schema) {
        this.server = server;
        this.database = database;
        this.schema = schema;
    }

    /** Drops {@code database} if it exists and creates it empty, with {@code schema} in it. */
    public static PostgresTestSchema inOwnDatabase(String database, String schema) {
        var server = PostgresTestServer.get();
        server.recreateDatabase(database);
        var created = new PostgresTestSchema(server, database, schema);
        created.empty();
        return created;
    }

    /** Drops the schema with everything in it and creates it empty. */
    public void empty() {
        server.recreateSchema(database, schema);
    }

    /** The schema as one more connector (replica) reaches it: {@link PostgresTestServer#transactionalDatabase}. */
    public TransactionalDatabase replica() {
        return server.transactionalDatabase(database, schema);
    }
}
