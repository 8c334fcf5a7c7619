package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.START;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionQueryTest {

    @Nested
    class Validation {

        @Test
        void build_whenLimitIsOutOfRange_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> DecisionQuery.builder().limit(0).build()).hasMessageContaining("limit");
            assertThatThrownBy(() -> DecisionQuery.builder().limit(DecisionQuery.MAX_LIMIT + 1).build()).hasMessageContaining("limit");
        }

        @Test
        void build_whenOffsetIsNegative_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> DecisionQuery.builder().offset(-1).build()).hasMessageContaining("offset");
        }

        @Test
        void build_whenTheTimeRangeIsEmptyOrReversed_shouldRefuse() {
            assertThatThrownBy(() -> DecisionQuery.builder().from(START).to(START).build()).hasMessageContaining("from");
            assertThatThrownBy(() -> DecisionQuery.builder().from(START.plusSeconds(1)).to(START).build()).hasMessageContaining("from");
        }

        @Test
        void build_whenTheDigestIsNotLowercaseSha256Hex_shouldRefuseNamingIt() {
            assertThatThrownBy(() -> DecisionQuery.builder().digest("abc").build()).hasMessageContaining("digest");
            assertThatThrownBy(() -> DecisionQuery.builder().digest("A".repeat(64)).build()).hasMessageContaining("digest");
        }

        @Test
        void build_withoutFilters_shouldMatchEverythingWithTheDefaultLimit() {
            var query = DecisionQuery.builder().build();

            assertThat(query.limit()).isEqualTo(DecisionQuery.DEFAULT_LIMIT);
            assertThat(query.matches(entry(0))).isTrue();
            assertThat(query.matches(entry(3))).isTrue();
        }
    }

    @Nested
    class Matching {

        @Test
        void matches_whenTheTimeIsAtFrom_shouldMatchAndAtTo_shouldNot() {
            var query = DecisionQuery.builder().from(entry(1).time()).to(entry(2).time()).build();

            assertThat(query.matches(entry(1))).isTrue();
            assertThat(query.matches(entry(2))).isFalse();
            assertThat(query.matches(entry(0))).isFalse();
        }

        @Test
        void matches_byDigest_shouldMatchAnyNamedDigestAndNeverAnEntryWithout() {
            var entry = DecisionLogTestFixtures.computeDecision(1, DecisionScope.COMPUTE_RESULT, "1".repeat(64), "2".repeat(64));

            assertThat(DecisionQuery.builder().digest("1".repeat(64)).build().matches(entry)).isTrue();
            assertThat(DecisionQuery.builder().digest("2".repeat(64)).build().matches(entry)).isTrue();
            assertThat(DecisionQuery.builder().digest("3".repeat(64)).build().matches(entry)).isFalse();
            assertThat(DecisionQuery.builder().digest("1".repeat(64)).build().matches(entry(0))).isFalse();
        }

        @Test
        void matches_byAgreement_shouldMatchTheDspIdAndTheLocalId_andNeitherAnotherAgreement() {
            var twoIds = io.kakehashi.policy.decisionlog.spi.DecisionEntry.builder().time(START).scope(DecisionScope.TRANSFER_PROCESS)
                    .counterpartyId("consumer").agreement("dsp-agreement", "local-agreement").outcome(DecisionOutcome.PERMIT).build();

            assertThat(DecisionQuery.builder().agreementId("dsp-agreement").build().matches(twoIds)).isTrue();
            assertThat(DecisionQuery.builder().agreementId("local-agreement").build().matches(twoIds)).isTrue();
            assertThat(DecisionQuery.builder().agreementId("other-agreement").build().matches(twoIds)).isFalse();
            assertThat(DecisionQuery.builder().agreementId("dsp-agreement").build().matches(entry(0))).isFalse();
        }

        @Test
        void matches_whenOneOfSeveralFiltersFails_shouldNotMatch() {
            var query = DecisionQuery.builder().scope(DecisionScope.CATALOG).outcome(DecisionOutcome.DENY).build();

            assertThat(query.matches(entry(0))).isFalse();
            assertThat(query.matches(entry(3))).isFalse();
        }
    }
}
