package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionSource;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.denied;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification in chunks on every core finds the same first broken link as one pass, wherever the break is: inside a
 * chunk, on its first or last position, across chunk borders; from stored lines (the file's fast path) and from parsed
 * entries (any other source).
 */
class ParallelVerificationTest {

    private static final int ENTRIES = 60;
    private static final int CHUNK = 7;
    private static final int ONE_PASS = Integer.MAX_VALUE;

    @TempDir
    Path directory;
    private List<String> lines;

    @BeforeEach
    void write() throws IOException {
        var file = directory.resolve("decisions.jsonl");
        try (var store = FileDecisionLogStore.open(file, new Monitor() { })) {
            for (int i = 0; i < ENTRIES; i++) {
                store.append(i % 3 == 0 ? denied(i) : entry(i));
            }
        }
        lines = Files.readAllLines(file);
    }

    @Test
    void intact_shouldCountEveryEntryInChunksAsInOnePass() throws IOException {
        assertThat(verifyLines(lines, CHUNK)).isEqualTo(verifyLines(lines, ONE_PASS));
        assertThat(verifyLines(lines, CHUNK).entriesChecked()).isEqualTo(ENTRIES);
        assertThat(verifyParsed(lines, CHUNK).entriesChecked()).isEqualTo(ENTRIES);
        assertThat(ChainVerifier.verify(parsed(lines), 30, 80, CHUNK)).isEqualTo(ChainVerifier.verify(parsed(lines), 30, 80, ONE_PASS));
        // a whole number of chunks: the log ends on a chunk's last position
        var exact = lines.subList(0, CHUNK * 5);
        assertThat(verifyLines(exact, CHUNK).entriesChecked()).isEqualTo(CHUNK * 5);
    }

    @Test
    void everyTampering_atEveryPosition_shouldBeFoundWhereOnePassFindsIt() throws IOException {
        for (int position = 1; position <= ENTRIES; position++) {
            var at = position - 1;
            for (var tampering : tamperings(at)) {
                var tampered = new ArrayList<>(lines);
                tampering.accept(tampered);
                var expected = verifyLines(tampered, ONE_PASS);
                assertThat(expected.intact()).as("one pass, tampering at %d", position).isFalse();
                assertThat(verifyLines(tampered, CHUNK)).as("chunks of lines, tampering at %d", position).isEqualTo(expected);
                assertThat(verifyParsed(tampered, CHUNK)).as("chunks of entries, tampering at %d", position).isEqualTo(verifyParsed(tampered, ONE_PASS));
            }
        }
    }

    @Test
    void nonCanonicalButUnchangedLine_shouldStillVerify() throws IOException {
        var reordered = new ArrayList<>(lines);
        // the same stored entry with its members in another order: not the form the store writes, the same content
        var stored = DecisionJson.stored(reordered.get(40));
        reordered.set(40, "{\"sequence\":" + stored.sequence() + ",\"hash\":\"" + stored.hash() + "\",\"previousHash\":\"" + stored.previousHash()
                + "\",\"entry\":" + DecisionJson.canonicalEntry(stored.entry()) + "}");

        assertThat(verifyLines(reordered, CHUNK).intact()).isTrue();
    }

    private List<Consumer<List<String>>> tamperings(int at) {
        var result = new ArrayList<Consumer<List<String>>>();
        // the content edited: DENY turned into PERMIT, or a counterparty renamed
        result.add(list -> list.set(at, list.get(at).contains("\"DENY\"") ? list.get(at).replace("\"DENY\"", "\"PERMIT\"")
                : list.get(at).replace("did:web:", "did:web:x")));
        if (at + 1 < ENTRIES) {
            // deleted (the last one deleted leaves a shorter chain that is intact: only a checkpoint can tell)
            result.add(list -> list.remove(at));
        }
        // not an entry
        result.add(list -> list.set(at, "{\"not\":\"an entry\"}"));
        if (at + 1 < ENTRIES) {
            // swapped with the next
            result.add(list -> {
                var line = list.get(at);
                list.set(at, list.get(at + 1));
                list.set(at + 1, line);
            });
        }
        return result;
    }

    private VerificationResult verifyLines(List<String> content, int chunk) throws IOException {
        var file = Files.createTempFile(directory, "tampered", ".jsonl");
        Files.write(file, content);
        try (var log = FileDecisionLogStore.openReadOnly(file)) {
            return ChainVerifier.verify(log, 1, Long.MAX_VALUE, chunk);
        }
    }

    private VerificationResult verifyParsed(List<String> content, int chunk) {
        return ChainVerifier.verify(parsed(content), 1, Long.MAX_VALUE, chunk);
    }

    /** A source that is not made of lines: entries parsed by position, as a database store hands them out. */
    private static DecisionSource parsed(List<String> content) {
        return (from, max) -> {
            var result = new ArrayList<StoredDecision>();
            for (long position = from; position < from + max && position <= content.size(); position++) {
                result.add(FileDecisionLogStore.parse(position, content.get((int) position - 1)));
            }
            return result;
        };
    }
}
