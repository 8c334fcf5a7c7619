package io.kakehashi.policy.constraints;

import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

class TransferCountConstraintFunctionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    private static TransferCountConstraintFunction afterTransfers(long soFar) {
        return new TransferCountConstraintFunction(agreement -> soFar);
    }

    @Nested
    class Evaluate {

        @Test
        void evaluate_whenUnderTheLimit_shouldPermit() {
            var context = transfer(NOW, NOW);

            assertThat(afterTransfers(2).evaluate(Operator.LEQ, 3, PERMISSION, context)).isTrue();
            assertThat(context.getProblems()).isEmpty();
        }

        @Test
        void evaluate_whenTheLimitIsReached_shouldDenyAndSayWhy() {
            var context = transfer(NOW, NOW);

            assertThat(afterTransfers(3).evaluate(Operator.LEQ, "3", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString()
                    .isEqualTo("count: 3 transfers used of 3 allowed under agreement agreement-1");
        }

        @Test
        void evaluate_whenTheOneAllowedTransferIsUsed_shouldSayItInTheSingular() {
            var context = transfer(NOW, NOW);

            assertThat(afterTransfers(1).evaluate(Operator.LEQ, 1, PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("count: 1 transfer used of 1 allowed under agreement agreement-1");
        }

        @Test
        void evaluate_withLessThan_shouldExcludeTheLimit() {
            assertThat(afterTransfers(1).evaluate(Operator.LT, 3, PERMISSION, transfer(NOW, NOW))).isTrue();
            assertThat(afterTransfers(2).evaluate(Operator.LT, 3, PERMISSION, transfer(NOW, NOW))).isFalse();
        }

        @Test
        void evaluate_whenTheOperandIsMalformed_shouldDeny() {
            assertThat(afterTransfers(0).evaluate(Operator.LEQ, "many", PERMISSION, transfer(NOW, NOW))).isFalse();
        }
    }

    @Nested
    class Validate {

        @Test
        void validate_whenPositiveWholeNumber_shouldAccept() {
            assertThat(afterTransfers(0).validate(Operator.LEQ, 5, PERMISSION).succeeded()).isTrue();
            assertThat(afterTransfers(0).validate(Operator.LEQ, "5", PERMISSION).succeeded()).isTrue();
            assertThat(afterTransfers(0).validate(Operator.LEQ, 5.0, PERMISSION).succeeded()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "2.5", "five", ""})
        void validate_whenNotAPositiveWholeNumber_shouldRejectNamingTheConstraint(String value) {
            assertThat(afterTransfers(0).validate(Operator.LEQ, value, PERMISSION).getFailureDetail()).startsWith("count:");
        }

        @Test
        void validate_whenFractional_shouldReject() {
            assertThat(afterTransfers(0).validate(Operator.LEQ, 2.5, PERMISSION).failed()).isTrue();
        }

        @Test
        void validate_whenOperatorIsALowerBound_shouldReject() {
            assertThat(afterTransfers(0).validate(Operator.GEQ, 5, PERMISSION).getFailureDetail()).contains("operator 'gteq' is not allowed");
        }
    }
}
