package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chain-before-digests.jsonl} is an export written by the code before entries had named digests (five
 * entries, with and without the optional fields). It must still verify, and each entry must be written back
 * byte for byte: adding digests must not change the canonical form of an entry that has none.
 */
class ChainWrittenBeforeDigestsTest {

    private static List<String> lines() throws IOException {
        try (InputStream in = ChainWrittenBeforeDigestsTest.class.getResourceAsStream("/chain-before-digests.jsonl")) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void verify_whenTheChainWasWrittenBeforeDigests_shouldBeIntact() throws IOException {
        var entries = lines().stream().map(DecisionJson::stored).toList();

        var result = ChainVerifier.verify((from, max) -> entries.stream().skip(from - 1).limit(max).toList());

        assertThat(entries).hasSize(5);
        assertThat(result.intact()).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(5);
    }

    @Test
    void storedLine_whenAnOldEntryIsWrittenAgain_shouldBeTheSameBytes() throws IOException {
        for (var line : lines()) {
            StoredDecision stored = DecisionJson.stored(line);

            assertThat(stored.entry().digests()).isEmpty();
            assertThat(DecisionJson.storedLine(stored)).isEqualTo(line);
        }
    }
}
