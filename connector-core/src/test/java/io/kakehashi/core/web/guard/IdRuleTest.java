package io.kakehashi.core.web.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdRuleTest {

    private final IdRule rule = new IdRule(16);

    @ParameterizedTest
    @ValueSource(strings = {"asset-1", "urn:uuid:1", "工作機械-データ", "did:web:a%3A1"})
    void check_whenPrintableAndShortEnough_shouldPass(String id) {
        assertThat(rule.check("@id", id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\nb", "a\u007fb", "a\u202eb", "a\u2066b", "a\u200bb", "a\u2028b", "a\ufeffb"})
    void check_whenItHoldsAControlOrFormatCharacter_shouldNameTheFieldAndTheCharacter(String id) {
        assertThat(rule.check("consumerPid", id)).hasValueSatisfying(problem -> assertThat(problem).startsWith("consumerPid: contains").contains("U+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:uuid:1", "c8e1fcae-7b7a", "ACN0101", "a.b~c@d"})
    void check_whenAProcessIdIsOnePathSegment_shouldPass(String id) {
        assertThat(rule.check("consumerPid", id)).isEmpty();
        assertThat(rule.check("providerPid", id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "..", "../../etc", "%00%2e", "' OR '1", "${jndi:x}", "a/b", "a?b", "a#b"})
    void check_whenAProcessIdCouldLeaveItsPathSegment_shouldRefuseIt(String id) {
        assertThat(rule.check("consumerPid", id)).hasValueSatisfying(problem -> assertThat(problem).startsWith("consumerPid: "));
        // as DSP 2025-1 messages arrive expanded: the pid is an IRI
        assertThat(rule.check("consumerPid/@id", id)).hasValueSatisfying(problem -> assertThat(problem).startsWith("consumerPid/@id: "));
        // other ids are not put into paths and keep their looser rule
        assertThat(rule.check("@id", id)).isEmpty();
    }

    @Test
    void check_whenLongerThanTheLimit_shouldSaySo() {
        assertThat(rule.check("@id", "a".repeat(17))).contains("@id: longer than 16 characters");
    }

    @Test
    void isIdProperty_shouldKnowIdsByTheirLocalName() {
        assertThat(IdRule.isIdProperty("https://w3id.org/dspace/2025/1/consumerPid")).isTrue();
        assertThat(IdRule.isIdProperty("dspace:agreementId")).isTrue();
        assertThat(IdRule.isIdProperty("@id")).isTrue();
        assertThat(IdRule.isIdProperty("https://w3id.org/dspace/2025/1/callbackAddress")).isTrue();
        assertThat(IdRule.isIdProperty("https://w3id.org/edc/v0.0.1/ns/name")).isFalse();
    }
}
