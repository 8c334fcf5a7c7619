package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chain-every-member.jsonl} was written by the file store at commit b33af80, before the canonical form, the hash
 * and the stored line were made without Jackson: four entries with every member (legal id, local agreement id, digests,
 * transfer id), none of the optional ones, milliseconds, non-ASCII text (a surrogate pair among it) and every character
 * JSON escapes. Its hashes are pinned here; the log must still verify, every entry must hash to its pinned value, and
 * the same entries appended today must give the file byte for byte.
 */
class ChainWithEveryMemberTest {

    private static final List<String> PINNED_HASHES = List.of(
            "df60775eabc2f50ca81905e8d07bb1b46bee083c779bc854c5b6f7cb24f0a35f",
            "5a048aece9ece7ee35dd3a00791993bf3f50a2d96601edb81a245310eabc7a8a",
            "22224fb02f21052942c27f193a3324af0c45fd3b61d65a2731b159388e4db043",
            "bd7339abe3edf87ad935d7b6d480be3a62b28ecab6e3eb377745c77af5267920");
    private static final Monitor MONITOR = new Monitor() { };

    @TempDir
    Path directory;

    private static byte[] written() throws IOException {
        try (InputStream in = ChainWithEveryMemberTest.class.getResourceAsStream("/chain-every-member.jsonl")) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<String> lines() throws IOException {
        return new String(written(), StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void verify_whenTheFileWasWrittenByTheEarlierCode_shouldBeIntactWithItsPinnedHead() throws IOException {
        var file = directory.resolve("decisions.jsonl");
        Files.write(file, written());

        try (var store = FileDecisionLogStore.open(file, MONITOR)) {
            var result = ChainVerifier.verify(store);

            assertThat(result.intact()).as(result.toString()).isTrue();
            assertThat(result.entriesChecked()).isEqualTo(4);
            assertThat(store.head().hash()).isEqualTo(PINNED_HASHES.get(3));
        }
    }

    @Test
    void hash_ofEachEntry_shouldBeItsPinnedHash() throws IOException {
        var previous = HashChain.GENESIS;
        var lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            StoredDecision stored = DecisionJson.stored(lines.get(i));

            assertThat(HashChain.hash(previous, i + 1, stored.entry())).isEqualTo(PINNED_HASHES.get(i));
            assertThat(HashChain.hashCanonical(previous, i + 1, DecisionJson.canonicalEntry(stored.entry()))).isEqualTo(PINNED_HASHES.get(i));
            assertThat(DecisionJson.storedLine(stored)).isEqualTo(lines.get(i));
            previous = PINNED_HASHES.get(i);
        }
    }

    @Test
    void append_ofTheSameEntries_shouldWriteTheFileByteForByte() throws IOException {
        var file = directory.resolve("again.jsonl");
        try (var store = FileDecisionLogStore.open(file, MONITOR)) {
            for (var line : lines()) {
                store.append(DecisionJson.stored(line).entry());
            }
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(written());
    }
}
