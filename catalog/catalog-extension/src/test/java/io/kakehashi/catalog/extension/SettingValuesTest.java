package io.kakehashi.catalog.extension;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SettingValuesTest {

    @Nested
    class Peers {
        @Test
        void peers_whenTwoAreListed_shouldParseBothInOrder() {
            var peers = SettingValues.peers("k", "maker-a=http://127.0.0.1:19194/protocol/2025-1, did:web:b.example=https://b.example/dsp").getContent();

            assertThat(peers).extracting(p -> p.id()).containsExactly("maker-a", "did:web:b.example");
            assertThat(peers.get(1).dspEndpoint().toString()).isEqualTo("https://b.example/dsp");
        }

        @Test
        void peers_whenBlank_shouldBeNone() {
            assertThat(SettingValues.peers("k", " ").getContent()).isEmpty();
        }

        @Test
        void peers_whenAnEntryHasNoUrl_shouldNameTheKeyAndForm() {
            assertThat(SettingValues.peers("kakehashi.catalog.crawler.peers", "maker-a").getFailureDetail())
                    .contains("kakehashi.catalog.crawler.peers").contains("<participant id>=<DSP URL>");
        }

        @Test
        void peers_whenTheUrlIsNotHttp_shouldRefuse() {
            assertThat(SettingValues.peers("k", "a=ftp://x.example/dsp").getFailureDetail()).contains("absolute http(s) URL");
            assertThat(SettingValues.peers("k", "a=/relative").getFailureDetail()).contains("absolute http(s) URL");
        }

        @Test
        void peers_whenAnIdIsListedTwice_shouldRefuse() {
            assertThat(SettingValues.peers("k", "a=http://127.0.0.1:1/x,a=http://127.0.0.1:2/x").getFailureDetail()).contains("listed twice");
        }
    }

    @Nested
    class Numbers {
        @Test
        void positiveDuration_whenValid_shouldParse() {
            assertThat(SettingValues.positiveDuration("k", "PT30S").getContent()).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void positiveDuration_whenZeroOrGarbage_shouldNameTheKey() {
            assertThat(SettingValues.positiveDuration("kakehashi.x", "PT0S").getFailureDetail()).contains("kakehashi.x").contains("positive");
            assertThat(SettingValues.positiveDuration("kakehashi.x", "30s").getFailureDetail()).contains("ISO-8601");
        }

        @Test
        void integer_whenOutOfRangeOrGarbage_shouldNameTheKey() {
            assertThat(SettingValues.integer("kakehashi.y", "0", 1, 10).getFailureDetail()).contains("kakehashi.y").contains("between 1 and 10");
            assertThat(SettingValues.integer("kakehashi.y", "many", 1, 10).getFailureDetail()).contains("whole number");
            assertThat(SettingValues.integer("kakehashi.y", "7", 1, 10).getContent()).isEqualTo(7);
        }
    }
}
