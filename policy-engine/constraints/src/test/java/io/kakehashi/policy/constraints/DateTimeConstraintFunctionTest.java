package io.kakehashi.policy.constraints;

import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.negotiation;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

class DateTimeConstraintFunctionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");
    private final DateTimeConstraintFunction<org.eclipse.edc.policy.engine.spi.PolicyContext> function =
            new DateTimeConstraintFunction<>(new PolicyTime(Clock.fixed(NOW, ZoneOffset.UTC)));

    @Nested
    class Evaluate {

        @Test
        void evaluate_whenInsideTheWindow_shouldPermit() {
            var context = negotiation();

            assertThat(function.evaluate(Operator.LEQ, "2027-03-31T23:59:59+09:00", PERMISSION, context)).isTrue();
            assertThat(function.evaluate(Operator.GEQ, "2026-11-01", PERMISSION, context)).isTrue();
            assertThat(context.getProblems()).isEmpty();
        }

        @Test
        void evaluate_whenTheWindowHasClosed_shouldDenyAndSayWhy() {
            var context = negotiation();

            assertThat(function.evaluate(Operator.LEQ, "2026-11-23T11:59:59+09:00", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString()
                    .contains("dateTime").contains("2026-11-23T03:00:00Z").contains("≤ 2026-11-23T02:59:59Z");
        }

        @Test
        void evaluate_whenTheWindowHasNotOpened_shouldDeny() {
            assertThat(function.evaluate(Operator.GT, "2026-12-01T00:00:00Z", PERMISSION, negotiation())).isFalse();
        }

        @Test
        void evaluate_inATransfer_shouldUseTheTransfersOwnNow() {
            var later = Instant.parse("2027-06-01T00:00:00Z");

            assertThat(function.evaluate(Operator.LEQ, "2027-03-31T23:59:59+09:00", PERMISSION, transfer(NOW, later))).isFalse();
        }

        @Test
        void evaluate_whenTheOperandIsMalformed_shouldDenyRatherThanGuess() {
            var context = negotiation();

            assertThat(function.evaluate(Operator.LEQ, "next spring", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).isNotEmpty();
        }
    }

    @Nested
    class Validate {

        @ParameterizedTest
        @ValueSource(strings = {"2027-03-31T23:59:59+09:00", "2027-03-31T14:59:59Z", "2027-03-31"})
        void validate_whenIso8601_shouldAccept(String value) {
            assertThat(function.validate(Operator.LEQ, value, PERMISSION).succeeded()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2027-03-31T23:59:59", "31/03/2027", "", "tomorrow"})
        void validate_whenNotADateTimeWithOffsetOrADate_shouldRejectNamingTheConstraint(String value) {
            var result = function.validate(Operator.LEQ, value, PERMISSION);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).startsWith("dateTime:");
        }

        @Test
        void validate_whenNotAString_shouldReject() {
            assertThat(function.validate(Operator.LEQ, 20270331, PERMISSION).getFailureDetail()).contains("dateTime");
        }

        @Test
        void validate_whenOperatorIsNotAnOrdering_shouldReject() {
            assertThat(function.validate(Operator.IS_ANY_OF, "2027-03-31", PERMISSION).getFailureDetail())
                    .contains("operator 'isAnyOf' is not allowed");
        }
    }
}
