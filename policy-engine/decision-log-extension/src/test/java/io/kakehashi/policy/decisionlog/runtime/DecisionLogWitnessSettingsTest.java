package io.kakehashi.policy.decisionlog.runtime;

import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionLogWitnessSettingsTest {

    @Test
    void parsePeers_shouldTakeHttpBaseUrls_andRefuseAnythingElse() {
        assertThat(DecisionLogWitnessExtension.parsePeers(" https://maker.example:8282/protocol/ , http://127.0.0.1:1/protocol"))
                .containsExactly("https://maker.example:8282/protocol", "http://127.0.0.1:1/protocol");
        assertThat(DecisionLogWitnessExtension.parsePeers("")).isEmpty();
        assertThatThrownBy(() -> DecisionLogWitnessExtension.parsePeers("did:web:maker.example")).isInstanceOf(EdcException.class)
                .hasMessageContaining("kakehashi.decisionlog.witness.peers");
        assertThatThrownBy(() -> DecisionLogWitnessExtension.parsePeers("ftp://maker.example/protocol")).isInstanceOf(EdcException.class);
        assertThatThrownBy(() -> DecisionLogWitnessExtension.parsePeers("https://maker.example/protocol?x=1")).isInstanceOf(EdcException.class);
    }

    @Test
    void protocolBase_shouldDropTheDspVersionPath() {
        assertThat(DecisionLogWitnessExtension.protocolBase("http://127.0.0.1:8282/protocol/2025-1")).isEqualTo("http://127.0.0.1:8282/protocol");
        assertThat(DecisionLogWitnessExtension.protocolBase("http://127.0.0.1:8282/protocol/v0.8/")).isEqualTo("http://127.0.0.1:8282/protocol");
        assertThat(DecisionLogWitnessExtension.protocolBase("http://127.0.0.1:8282/protocol")).isEqualTo("http://127.0.0.1:8282/protocol");
        assertThat(DecisionLogWitnessExtension.protocolBase("not a url")).isNull();
    }
}
