package io.kakehashi.catalog.extension;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class PeerSettingsTest {

    @Nested
    class Peers {
        @Test
        void peers_whenTwoAreListed_shouldParseBothInOrder() {
            var peers = PeerSettings.peers("k", "maker-a=http://127.0.0.1:19194/protocol/2025-1, did:web:b.example=https://b.example/dsp").getContent();

            assertThat(peers).extracting(p -> p.id()).containsExactly("maker-a", "did:web:b.example");
            assertThat(peers.get(1).dspEndpoint().toString()).isEqualTo("https://b.example/dsp");
        }

        @Test
        void peers_whenBlank_shouldBeNone() {
            assertThat(PeerSettings.peers("k", " ").getContent()).isEmpty();
        }

        @Test
        void peers_whenAnEntryHasNoUrl_shouldNameTheKeyAndForm() {
            assertThat(PeerSettings.peers("kakehashi.catalog.crawler.peers", "maker-a").getFailureDetail())
                    .contains("kakehashi.catalog.crawler.peers").contains("<participant id>=<DSP URL>");
        }

        @Test
        void peers_whenTheUrlIsNotHttp_shouldRefuse() {
            assertThat(PeerSettings.peers("k", "a=ftp://x.example/dsp").getFailureDetail()).contains("absolute http(s) URL");
            assertThat(PeerSettings.peers("k", "a=/relative").getFailureDetail()).contains("absolute http(s) URL");
        }

        @Test
        void peers_whenAnIdIsListedTwice_shouldRefuse() {
            assertThat(PeerSettings.peers("k", "a=http://127.0.0.1:1/x,a=http://127.0.0.1:2/x").getFailureDetail()).contains("listed twice");
        }
    }
}
