package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnownKeyHistoriesTest {

    private static final String MAKER = "http://127.0.0.1:8282/protocol";
    private static final String PLANT = "http://127.0.0.1:9292/protocol";

    /** The histories the peers serve, and every read asked of them. */
    private final Map<String, List<CheckpointKey>> served = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final KnownKeyHistories histories = new KnownKeyHistories(peerBase -> {
        reads.add(peerBase);
        var history = served.get(peerBase);
        if (history == null) {
            throw new IOException("unreachable: " + peerBase);
        }
        return history;
    }, 2);

    private static CheckpointKey key(String kid) {
        return new CheckpointKey(kid, "{\"kty\":\"EC\",\"kid\":\"" + kid + "\"}", Instant.parse("2026-12-07T00:00:00Z"), null);
    }

    @Nested
    class KnownKey {

        @Test
        void holding_whenTheHistoryReadBeforeHoldsTheKey_shouldNotAskThePeerAgain() throws IOException {
            served.put(MAKER, List.of(key("k1")));
            histories.holding(MAKER, "k1");

            var history = histories.holding(MAKER, "k1");

            assertThat(history).containsExactly(key("k1"));
            assertThat(reads).containsExactly(MAKER);
        }

        @Test
        void holding_forAnotherPeer_shouldAskThatPeer() throws IOException {
            served.put(MAKER, List.of(key("k1")));
            served.put(PLANT, List.of(key("k1")));
            histories.holding(MAKER, "k1");

            histories.holding(PLANT, "k1");

            assertThat(reads).containsExactly(MAKER, PLANT);
        }
    }

    @Nested
    class NewKey {

        @Test
        void holding_whenTheKeyIsNotInTheHistoryReadBefore_shouldReadItAgainAndKeepTheNewOne() throws IOException {
            served.put(MAKER, List.of(key("k1")));
            histories.holding(MAKER, "k1");
            served.put(MAKER, List.of(key("k1"), key("k2")));

            var rotated = histories.holding(MAKER, "k2");
            var again = histories.holding(MAKER, "k2");

            assertThat(rotated).containsExactly(key("k1"), key("k2"));
            assertThat(again).isEqualTo(rotated);
            assertThat(reads).containsExactly(MAKER, MAKER);
        }

        @Test
        void holding_whenNoKeyIsNamed_shouldAlwaysRead() throws IOException {
            served.put(MAKER, List.of(key("k1")));

            histories.holding(MAKER, null);
            histories.holding(MAKER, null);

            assertThat(reads).containsExactly(MAKER, MAKER);
        }

        @Test
        void holding_whenThePeerCannotBeRead_shouldThrowAndKeepNothing() throws IOException {
            assertThatThrownBy(() -> histories.holding(MAKER, "k1")).isInstanceOf(IOException.class);
            served.put(MAKER, List.of(key("k1")));

            histories.holding(MAKER, "k1");

            assertThat(reads).containsExactly(MAKER, MAKER);
        }
    }

    @Test
    void holding_whenMorePeersThanKeptAreAsked_shouldForgetTheLeastRecentlyUsed() throws IOException {
        var third = "http://127.0.0.1:7272/protocol";
        served.put(MAKER, List.of(key("k1")));
        served.put(PLANT, List.of(key("k1")));
        served.put(third, List.of(key("k1")));
        histories.holding(MAKER, "k1");
        histories.holding(PLANT, "k1");
        histories.holding(MAKER, "k1");

        histories.holding(third, "k1");
        histories.holding(MAKER, "k1");
        histories.holding(PLANT, "k1");

        assertThat(reads).containsExactly(MAKER, PLANT, third, PLANT);
    }
}
