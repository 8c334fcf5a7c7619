package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.core.spi.outbox.StatementOutbox.Outcome;
import io.kakehashi.core.spi.outbox.StatementOutbox.Pending;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileStatementOutboxTest extends StatementOutboxTestBase {

    @TempDir
    Path directory;

    private final List<String> warnings = new ArrayList<>();
    private final Monitor monitor = new Monitor() {
        @Override
        public void warning(Supplier<String> supplier, Throwable... errors) {
            warnings.add(supplier.get());
        }
    };
    private FileStatementOutbox outbox;
    private FileStatementOutbox reopened;

    @BeforeEach
    void open() {
        outbox = FileStatementOutbox.open(file(), monitor);
    }

    @AfterEach
    void close() {
        outbox.close();
        if (reopened != null) {
            reopened.close();
        }
    }

    @Override
    StatementOutbox outbox() {
        return outbox;
    }

    @Override
    StatementOutbox reopened() {
        // one process holds the file: the reopened outbox is the connector started again
        outbox.close();
        reopened = FileStatementOutbox.open(file(), monitor);
        return reopened;
    }

    private Path file() {
        return directory.resolve("outbox.jsonl");
    }

    @Test
    void open_shouldResumeWithTheAttemptsAndDueTimeOfTheLastRun() {
        var kept = outbox.put("decision-receipt", "https://peer.example", "a.b.c", T0);
        outbox.claim("decision-receipt", "run-1", T0, T0.plus(LEASE), 10);
        outbox.retry(kept.id(), "run-1", 3, T0.plusSeconds(4));
        outbox.close();

        outbox = FileStatementOutbox.open(file(), monitor);

        assertThat(outbox.pending("decision-receipt")).singleElement().satisfies(statement -> {
            assertThat(statement.attempts()).isEqualTo(3);
            assertThat(statement.due()).isEqualTo(T0.plusSeconds(4));
            assertThat(statement.statement()).isEqualTo("a.b.c");
        });
        // a claim of the run before does not survive it: the new run may claim at once when due
        assertThat(outbox.claim("decision-receipt", "run-2", T0.plusSeconds(4), T0.plus(LEASE), 10)).hasSize(1);
    }

    @Test
    void open_shouldCutATornLastLine_andKeepWhatWasWrittenWhole() throws Exception {
        var kept = outbox.put("decision-receipt", "https://peer.example", "a.b.c", T0);
        outbox.close();
        Files.writeString(file(), "{\"op\":\"put\",\"id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        outbox = FileStatementOutbox.open(file(), monitor);

        assertThat(outbox.pending("decision-receipt")).extracting(Pending::id).containsExactly(kept.id());
        assertThat(warnings).singleElement().asString().contains("cut off an incomplete last line of 22 bytes");
        assertThat(Files.readString(file())).endsWith("\n").doesNotContain("torn");
    }

    @Test
    void open_shouldKeepOnlyTheStatementsNotDone() throws Exception {
        var delivered = outbox.put("decision-receipt", "https://peer.example", "delivered", T0);
        var waiting = outbox.put("decision-receipt", "https://peer.example", "waiting", T0);
        outbox.claim("decision-receipt", "run-1", T0, T0.plus(LEASE), 1);
        outbox.done(delivered.id(), "run-1", Outcome.DELIVERED, null, T0);
        outbox.close();

        outbox = FileStatementOutbox.open(file(), monitor);

        assertThat(Files.readAllLines(file())).singleElement().asString().contains(waiting.id()).doesNotContain(delivered.id());
        assertThat(outbox.pending("decision-receipt")).extracting(Pending::id).containsExactly(waiting.id());
    }

    @Test
    void open_shouldRefuseAFileThatAnotherOutboxHolds() {
        assertThatThrownBy(() -> FileStatementOutbox.open(file(), monitor)).isInstanceOf(EdcPersistenceException.class)
                .hasMessageContaining("held by another process");
    }

    @Test
    void open_shouldRefuseALineThatIsNoOutboxRecord_namingIt() throws Exception {
        outbox.put("decision-receipt", "https://peer.example", "a.b.c", T0);
        outbox.close();
        Files.writeString(file(), "{\"op\":\"launch\",\"id\":\"x\"}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> FileStatementOutbox.open(file(), monitor)).isInstanceOf(EdcPersistenceException.class)
                .hasMessageContaining("line 2 is not an outbox record");
        outbox = FileStatementOutbox.open(directory.resolve("another.jsonl"), monitor);
    }

    @Test
    void open_whenTheCompletionOfADraftWasTorn_shouldKeepTheDraft() throws Exception {
        var draft = outbox.hold("decision-receipt-draft", "https://peer.example", "{\"entry\":1}", "run-1", T0, T0.plus(LEASE));
        outbox.close();
        Files.writeString(file(), "{\"op\":\"complete\",\"id\":\"" + draft.id() + "\",\"kind\":\"decision-rec", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        outbox = FileStatementOutbox.open(file(), monitor);

        assertThat(outbox.pending("decision-receipt")).isEmpty();
        assertThat(outbox.pending("decision-receipt-draft")).extracting(Pending::statement).containsExactly("{\"entry\":1}");
        // the claim of the run before is gone with it: the new run takes the draft up at once
        assertThat(outbox.claim("decision-receipt-draft", "run-2", T0, T0.plus(LEASE), 10)).hasSize(1);
    }
}
