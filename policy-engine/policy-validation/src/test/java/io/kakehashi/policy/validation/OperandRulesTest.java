package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OperandRulesTest {

    static final String LIMIT = "https://example.com/policy/limit";
    static final OperandRule<Long> LIMIT_RULE = new OperandRule<>(LIMIT, "limit", List.of(Operator.LT, Operator.LEQ), OperandRulesTest::positive);

    private final OperandRules rules = new OperandRules();

    static Result<Long> positive(Operator operator, Object rightValue) {
        if (rightValue instanceof String text && text.matches("\\d{1,9}") && Long.parseLong(text) > 0) {
            return Result.success(Long.parseLong(text));
        }
        return Result.failure("limit: '%s' is not a positive whole number".formatted(rightValue));
    }

    @Nested
    class Validate {

        @Test
        void validate_whenOperatorAndOperandFit_shouldAccept() {
            rules.add(LIMIT_RULE);

            assertThat(rules.validate(LIMIT, Operator.LEQ, "5").succeeded()).isTrue();
        }

        @Test
        void validate_whenTheOperandIsUnknown_shouldRejectNamingIt() {
            assertThat(rules.validate("https://example.com/policy/colour", Operator.EQ, "blue").getFailureDetail())
                    .isEqualTo("'https://example.com/policy/colour' is not a left operand this connector understands");
        }

        @Test
        void validate_whenTheOperatorIsNotTaken_shouldRejectListingTheAllowedOnes() {
            rules.add(LIMIT_RULE);

            assertThat(rules.validate(LIMIT, Operator.GEQ, "5").getFailureDetail()).isEqualTo("limit: operator 'gteq' is not allowed (lt, lteq)");
            assertThat(rules.validate(LIMIT, null, "5").getFailureDetail()).isEqualTo("limit: operator 'none' is not allowed (lt, lteq)");
        }

        @Test
        void validate_whenTheRightOperandDoesNotRead_shouldRejectWithTheParsersReason() {
            rules.add(LIMIT_RULE);

            assertThat(rules.validate(LIMIT, Operator.LT, "many").getFailureDetail()).isEqualTo("limit: 'many' is not a positive whole number");
        }
    }

    @Nested
    class Add {

        @Test
        void add_whenTheSameRuleAgain_shouldAcceptIt() {
            assertThat(rules.add(LIMIT_RULE).succeeded()).isTrue();
            assertThat(rules.add(LIMIT_RULE).succeeded()).isTrue();
            assertThat(rules.all()).containsExactly(LIMIT_RULE);
        }

        @Test
        void add_whenAnotherRuleForTheSameOperand_shouldRefuse() {
            rules.add(LIMIT_RULE);
            var other = new OperandRule<>(LIMIT, "limit", List.of(Operator.EQ), OperandRulesTest::positive);

            assertThat(rules.add(other).getFailureDetail()).contains("'https://example.com/policy/limit' already has a rule");
            assertThat(rules.rule(LIMIT)).contains(LIMIT_RULE);
        }
    }
}
