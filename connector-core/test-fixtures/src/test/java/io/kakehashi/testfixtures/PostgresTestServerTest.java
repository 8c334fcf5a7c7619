package io.kakehashi.testfixtures;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("PostgresqlIntegrationTest")
class PostgresTestServerTest {

    /** Nothing listens on port 1 of the loopback address. */
    private static final String NOTHING_LISTENS = "jdbc:postgresql://127.0.0.1:1/";

    @Nested
    class TheServerOfThisJvm {

        @Test
        void createDatabase_whenMissing_shouldCreateItOnceAndAnswerInIt() throws SQLException {
            var server = PostgresTestServer.get();
            var name = "fixture_" + UUID.randomUUID().toString().replace("-", "");
            try {
                var url = server.createDatabase(name);

                assertThat(url).isEqualTo(server.serverUrl() + name);
                assertThat(server.createDatabase(name)).as("asked again").isEqualTo(url);
                try (var connection = server.connect(name)) {
                    assertThat(currentDatabase(connection)).isEqualTo(name);
                }
            } finally {
                server.recreateDatabase(name);
                try (var connection = server.connect("postgres"); var statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE " + name);
                }
            }
        }

        @Test
        void recreateSchema_shouldLeaveItEmpty() throws SQLException {
            var server = PostgresTestServer.get();
            var database = server.testDatabase();
            server.recreateSchema(database, "fixture_schema");
            try (var connection = server.dataSource(database, "fixture_schema").getConnection(); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE leftover (id int)");
            }

            server.recreateSchema(database, "fixture_schema");

            try (var connection = server.connect(database);
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'fixture_schema'")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            } finally {
                server.dropSchema(database, "fixture_schema");
            }
        }

        @Test
        void url_whenTheNameIsNoPlainIdentifier_shouldRefuseIt() {
            assertThatThrownBy(() -> PostgresTestServer.get().url("x; DROP DATABASE postgres")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void start_whenAServerAnswersButRefusesTheUser_shouldFailInsteadOfFallingBack() {
            var url = PostgresTestServer.get().serverUrl();

            assertThatThrownBy(() -> PostgresTestServer.start(url, "no_such_role"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("no_such_role");
        }
    }

    @Nested
    class WhenNothingAnswersAtTheConfiguredAddress {

        @Test
        void start_shouldStartARealEmbeddedServerThatStopsOnRequest() throws SQLException {
            var server = PostgresTestServer.start(NOTHING_LISTENS, "postgres");
            String url;
            try {
                assertThat(server.isEmbedded()).isTrue();
                assertThat(server.serverUrl()).startsWith("jdbc:postgresql://127.0.0.1:").isNotEqualTo(NOTHING_LISTENS);
                server.recreateSchema("fresh_database", "fresh_schema");
                url = server.url("fresh_database");
                try (var connection = server.dataSource("fresh_database", "fresh_schema").getConnection(); var statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE fresh (id int)");
                    statement.execute("INSERT INTO fresh VALUES (42)");
                    try (var rows = statement.executeQuery("SELECT id, version() FROM fresh")) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getInt(1)).isEqualTo(42);
                        assertThat(rows.getString(2)).startsWith("PostgreSQL 15.");
                    }
                }
            } finally {
                server.stop();
            }

            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "postgres", null).close())
                    .as("stopped").isInstanceOf(SQLException.class);
        }
    }

    private static String currentDatabase(Connection connection) throws SQLException {
        try (var rows = connection.createStatement().executeQuery("SELECT current_database()")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
