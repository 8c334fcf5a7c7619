package io.kakehashi.ai.sql;

import io.kakehashi.ai.spi.JobLimits;
import io.kakehashi.ai.spi.TabularAsset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's own lock-down, with the query checks out of the way: whatever SQL reaches the database, it cannot
 * read another file, reach the network, write a file, attach a database, load an extension or undo the settings.
 */
class LockedDownDuckDbTest {

    @TempDir
    Path dir;
    private Path asset;
    private Path secret;

    @BeforeEach
    void files() throws Exception {
        asset = SqlTestFixtures.machineCsv(dir);
        secret = dir.resolve("other-asset.csv");
        Files.writeString(secret, "name,salary\nsato,9000000\n");
    }

    private LockedDownDuckDb open(long memory) throws SQLException {
        return LockedDownDuckDb.open(new TabularAsset(asset, TabularAsset.Format.CSV), new JobLimits(Duration.ofSeconds(30), memory), 1);
    }

    private void execute(LockedDownDuckDb db, String sql) throws SQLException {
        try (var statement = db.connection().createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void open_shouldHoldTheAssetAsTheTableAsset() throws Exception {
        try (var db = open(64L << 20); var statement = db.connection().createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM asset")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(403);
        }
    }

    @Test
    void readingAnotherFile_shouldBeRefusedByTheEngine() throws Exception {
        try (var db = open(64L << 20)) {
            assertThatThrownBy(() -> execute(db, "SELECT * FROM read_csv('" + secret + "')")).hasMessageContaining("Permission Error");
            assertThatThrownBy(() -> execute(db, "SELECT * FROM read_text('" + secret + "')")).hasMessageContaining("Permission Error");
            assertThatThrownBy(() -> execute(db, "SELECT * FROM glob('" + dir + "/*')")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void reachingTheNetwork_shouldBeRefusedWithoutAConnection() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); var db = open(64L << 20)) {
            server.setSoTimeout(200);
            var url = "http://127.0.0.1:" + server.getLocalPort() + "/data.csv";

            assertThatThrownBy(() -> execute(db, "SELECT * FROM read_csv('" + url + "')")).isInstanceOf(SQLException.class);

            assertThatThrownBy(server::accept).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void writingAFileOrAttachingADatabase_shouldBeRefused() throws Exception {
        var out = dir.resolve("leak.csv");
        try (var db = open(64L << 20)) {
            assertThatThrownBy(() -> execute(db, "COPY asset TO '" + out + "'")).hasMessageContaining("Permission Error");
            assertThatThrownBy(() -> execute(db, "ATTACH '" + dir.resolve("other.db") + "' AS other")).isInstanceOf(SQLException.class);
        }
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("other.db")).doesNotExist();
    }

    @Test
    void loadingAnExtension_shouldBeRefused() throws Exception {
        try (var db = open(64L << 20)) {
            assertThatThrownBy(() -> execute(db, "INSTALL httpfs")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> execute(db, "LOAD httpfs")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void undoingTheLockDown_shouldBeRefused() throws Exception {
        try (var db = open(64L << 20)) {
            assertThatThrownBy(() -> execute(db, "SET enable_external_access = true")).hasMessageContaining("locked");
            assertThatThrownBy(() -> execute(db, "SET memory_limit = '8GB'")).hasMessageContaining("locked");
            assertThatThrownBy(() -> execute(db, "RESET lock_configuration")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aQueryNeedingMoreThanTheMemoryLimit_shouldFailWithOutOfMemory() throws Exception {
        try (var db = open(64L << 20)) {
            assertThatThrownBy(() -> execute(db, "SELECT length(string_agg(repeat('x', 1000), ',')) FROM asset a, asset b"))
                    .hasMessageContaining("Out of Memory");
        }
    }
}
