package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.denied;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionJsonTest {

    @Nested
    class Entries {

        @Test
        void entry_whenWrittenAndRead_shouldBeTheSame() {
            for (int i = 0; i < 8; i++) {
                assertThat(DecisionJson.entry(DecisionJson.entry(entry(i)))).isEqualTo(entry(i));
            }
        }

        @Test
        void entry_whenOptionalValuesAreAbsent_shouldOmitThem() {
            var json = JsonCanonicalizer.canonicalize(DecisionJson.entry(denied(1)));

            assertThat(json).doesNotContain("null").doesNotContain("assetId").contains("\"scope\":\"contract.negotiation\"");
        }

        @Test
        void entry_whenATimeHasMoreDigitsThanTheModelKeeps_shouldRefuse() {
            var node = DecisionJson.entry(denied(1)).put("time", "2026-11-23T09:00:01.000123Z");

            assertThatThrownBy(() -> DecisionJson.entry(node)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canonical");
        }

        @Test
        void entry_whenScopeIsUnknown_shouldRefuse() {
            var node = DecisionJson.entry(denied(1)).put("scope", "elsewhere");

            assertThatThrownBy(() -> DecisionJson.entry(node)).hasMessageContaining("unknown scope");
        }
    }

    @Nested
    class StoredLines {

        @Test
        void storedLine_shouldBeCanonicalWithMembersInOrder() {
            var stored = new StoredDecision(7, "a".repeat(64), "b".repeat(64), denied(1));

            var line = DecisionJson.storedLine(stored);

            assertThat(line).startsWith("{\"entry\":{").endsWith(",\"hash\":\"" + "b".repeat(64) + "\",\"previousHash\":\"" + "a".repeat(64) + "\",\"sequence\":7}");
            assertThat(DecisionJson.stored(line)).isEqualTo(stored);
        }

        @Test
        void stored_whenAMemberIsMissing_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> DecisionJson.stored("{\"sequence\":1}")).hasMessageContaining("lacks the member");
        }
    }
}
