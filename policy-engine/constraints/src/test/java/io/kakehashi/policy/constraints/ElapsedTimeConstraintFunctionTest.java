package io.kakehashi.policy.constraints;

import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.negotiation;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

class ElapsedTimeConstraintFunctionTest {

    private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
    private final ElapsedTimeConstraintFunction<PolicyContext> function =
            new ElapsedTimeConstraintFunction<>(new PolicyTime(Clock.fixed(SIGNED.plus(Duration.ofDays(100)), ZoneOffset.UTC)));

    @Nested
    class Evaluate {

        @Test
        void evaluate_whenWithinTheWindowAfterSigning_shouldPermit() {
            var context = transfer(SIGNED, SIGNED.plus(Duration.ofDays(29)));

            assertThat(function.evaluate(Operator.LEQ, "P30D", PERMISSION, context)).isTrue();
            assertThat(context.getProblems()).isEmpty();
        }

        @Test
        void evaluate_whenTheWindowHasPassed_shouldDenyAndSayWhy() {
            var context = transfer(SIGNED, SIGNED.plus(Duration.ofDays(31)));

            assertThat(function.evaluate(Operator.LEQ, "P30D", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString()
                    .contains("elapsedTime").contains("PT744H").contains("2026-11-01T00:00:00Z").contains("≤ PT720H");
        }

        @Test
        void evaluate_whenExactlyAtTheEndOfTheWindow_shouldFollowTheOperator() {
            var atTheEnd = transfer(SIGNED, SIGNED.plus(Duration.ofDays(30)));

            assertThat(function.evaluate(Operator.LEQ, "P30D", PERMISSION, atTheEnd)).isTrue();
            assertThat(function.evaluate(Operator.LT, "P30D", PERMISSION, transfer(SIGNED, SIGNED.plus(Duration.ofDays(30))))).isFalse();
        }

        @Test
        void evaluate_beforeThereIsAnAgreement_shouldPermit() {
            // 100 days after SIGNED by the clock, but a negotiation has no agreement yet: nothing has elapsed
            assertThat(function.evaluate(Operator.LEQ, "P30D", PERMISSION, negotiation())).isTrue();
        }

        @Test
        void evaluate_whenTheOperandIsMalformed_shouldDeny() {
            var context = transfer(SIGNED, SIGNED);

            assertThat(function.evaluate(Operator.LEQ, "thirty days", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).isNotEmpty();
        }
    }

    @Nested
    class Validate {

        @ParameterizedTest
        @ValueSource(strings = {"P30D", "PT12H", "P1DT6H"})
        void validate_whenPositiveIso8601Duration_shouldAccept(String value) {
            assertThat(function.validate(Operator.LEQ, value, PERMISSION).succeeded()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"30 days", "P0D", "-P1D", "P1M", ""})
        void validate_whenNotAPositiveDuration_shouldRejectNamingTheConstraint(String value) {
            var result = function.validate(Operator.LEQ, value, PERMISSION);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).startsWith("elapsedTime:");
        }

        @Test
        void validate_whenOperatorIsALowerBound_shouldReject() {
            assertThat(function.validate(Operator.GEQ, "P30D", PERMISSION).getFailureDetail()).contains("operator 'gteq' is not allowed");
        }
    }
}
