package io.kakehashi.policy.decisionlog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

class HashChainTest {

    @Test
    void hash_shouldBeSha256OfPreviousHashSequenceAndCanonicalEntryJoinedByNewlines() throws Exception {
        var canonical = JsonCanonicalizer.canonicalize(DecisionJson.entry(entry(0)));
        var bytes = (HashChain.GENESIS + "\n1\n" + canonical).getBytes(StandardCharsets.UTF_8);
        var expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        assertThat(HashChain.hash(HashChain.GENESIS, 1, entry(0))).isEqualTo(expected);
    }

    @Test
    void hash_whenTheSequenceDiffers_shouldDiffer() {
        assertThat(HashChain.hash(HashChain.GENESIS, 1, entry(0))).isNotEqualTo(HashChain.hash(HashChain.GENESIS, 2, entry(0)));
    }

    @Test
    void genesis_shouldBeSixtyFourZeros() {
        assertThat(HashChain.GENESIS).hasSize(64).matches("0+");
    }

    @Test
    void digest_shouldNotDependOnMemberOrder() {
        assertThat(HashChain.digest(JsonCanonicalizer.parse("{\"a\":1,\"b\":[true]}")))
                .isEqualTo(HashChain.digest(JsonCanonicalizer.parse("{\"b\":[true],\"a\":1}")));
    }
}
