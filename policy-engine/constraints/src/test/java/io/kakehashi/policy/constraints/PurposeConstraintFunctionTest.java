package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.ComputePolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.compute;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;

class PurposeConstraintFunctionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    private final PurposeConstraintFunction<ContractNegotiationPolicyContext> atNegotiation = new PurposeConstraintFunction<>();
    private final PurposeConstraintFunction<ComputePolicyContext> atCompute = new PurposeConstraintFunction<>();

    @Nested
    class Hierarchy {

        @Test
        void isWithin_whenAChildIsCheckedAgainstItsParent_shouldHold() {
            assertThat(Purposes.isWithin("ai.training", "ai")).isTrue();
            assertThat(Purposes.isWithin("ai", "ai")).isTrue();
        }

        @Test
        void isWithin_whenAParentIsCheckedAgainstAChild_orAPrefixThatIsNoParent_shouldNotHold() {
            assertThat(Purposes.isWithin("ai", "ai.training")).isFalse();
            assertThat(Purposes.isWithin("analytics", "ai")).isFalse();
        }
    }

    @Nested
    class Compute {

        @ParameterizedTest
        @CsvSource({"training, ai", "evaluation, ai.evaluation", "sql, analytics", "fl-round, ai.training"})
        void eq_whenTheJobsPurposeIsTheGrantedOneOrBelowIt_shouldPermit(String jobType, String granted) {
            var context = compute(jobType, NOW, NOW);

            assertThat(atCompute.evaluate(Operator.EQ, granted, PERMISSION, context)).isTrue();
            assertThat(context.getProblems()).isEmpty();
        }

        @Test
        void isAnyOf_whenTheJobsPurposeIsNotGranted_shouldDenyAndSayWhy() {
            var context = compute("training", NOW, NOW);

            assertThat(atCompute.evaluate(Operator.IS_ANY_OF, List.of("analytics"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("purpose: requested ai.training is not in [analytics]");
        }

        @Test
        void isNoneOf_whenTheJobsPurposeIsBelowAnExcludedOne_shouldDeny() {
            var context = compute("evaluation", NOW, NOW);

            assertThat(atCompute.evaluate(Operator.IS_NONE_OF, List.of("ai"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("purpose: requested ai.evaluation is in [ai]");
            assertThat(atCompute.evaluate(Operator.IS_NONE_OF, List.of("ai"), PERMISSION, compute("sql", NOW, NOW))).isTrue();
        }

        @Test
        void evaluate_whenTheJobTypeServesNoKnownPurpose_shouldDeny() {
            var context = compute("mining", NOW, NOW);

            assertThat(atCompute.evaluate(Operator.IS_NONE_OF, List.of("ai"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("purpose: a mining job serves no known purpose");
        }
    }

    @Nested
    class Negotiation {

        @Test
        void evaluate_whenTheOfferGrantsAPurpose_shouldBindIt() {
            assertThat(atNegotiation.evaluate(Operator.IS_ANY_OF, List.of("analytics", "ai.evaluation"), PERMISSION, negotiation())).isTrue();
            assertThat(atNegotiation.evaluate(Operator.IS_NONE_OF, List.of("ai"), PERMISSION, negotiation())).isTrue();
        }

        @Test
        void evaluate_whenTheOfferExcludesEveryPurpose_shouldDeny() {
            var context = negotiation();

            assertThat(atNegotiation.evaluate(Operator.IS_NONE_OF, List.of("ai", "analytics", "research", "maintenance"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("purpose: isNoneOf [ai, analytics, research, maintenance] leaves no purpose to use the data for");
        }

        @Test
        void evaluate_whenTheOperandIsMalformed_shouldDenyWithTheReason() {
            var context = negotiation();

            assertThat(atNegotiation.evaluate(Operator.EQ, "marketing", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString().startsWith("purpose: 'marketing' is not a known purpose");
        }
    }

    @Nested
    class Validate {

        @Test
        void validate_whenKnownPurposes_shouldAccept() {
            assertThat(atNegotiation.validate(Operator.IS_ANY_OF, List.of("ai.training", "research"), PERMISSION).succeeded()).isTrue();
            assertThat(atNegotiation.validate(Operator.EQ, "maintenance", PERMISSION).succeeded()).isTrue();
        }

        @Test
        void validate_whenAPurposeIsUnknown_shouldRejectNamingIt() {
            assertThat(atNegotiation.validate(Operator.IS_ANY_OF, List.of("ai.training", "marketing"), PERMISSION).getFailureDetail())
                    .startsWith("purpose: 'marketing' is not a known purpose");
        }

        @Test
        void validate_whenIsNoneOfExcludesEveryPurpose_shouldReject() {
            assertThat(atNegotiation.validate(Operator.IS_NONE_OF, List.of("ai", "analytics", "research", "maintenance"), PERMISSION).failed()).isTrue();
            assertThat(atNegotiation.validate(Operator.IS_NONE_OF, List.of("ai", "analytics", "research"), PERMISSION).succeeded()).isTrue();
        }

        @Test
        void validate_whenEqGetsAList_orTheOperatorIsAnOrdering_shouldReject() {
            assertThat(atNegotiation.validate(Operator.EQ, List.of("ai", "research"), PERMISSION).getFailureDetail()).contains("'eq' takes one purpose");
            assertThat(atNegotiation.validate(Operator.LEQ, "ai", PERMISSION).getFailureDetail())
                    .isEqualTo("purpose: operator 'lteq' is not allowed (eq, isAnyOf, isNoneOf)");
        }
    }

    @Nested
    class GrantedBy {

        private static Policy policy(AtomicConstraint... constraints) {
            var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build());
            for (var constraint : constraints) {
                permission.constraint(constraint);
            }
            return Policy.Builder.newInstance().permission(permission.build()).build();
        }

        private static AtomicConstraint purpose(Operator operator, Object value) {
            return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(KakehashiPolicy.PURPOSE)).operator(operator)
                    .rightExpression(new LiteralExpression(value)).build();
        }

        @Test
        void grantedBy_shouldExpandParentsAndIntersectConstraints() {
            assertThat(PurposeConstraintFunction.grantedBy(policy(purpose(Operator.IS_ANY_OF, List.of("ai", "analytics")))))
                    .hasValue(Set.of("ai", "ai.training", "ai.inference", "ai.evaluation", "analytics"));
            assertThat(PurposeConstraintFunction.grantedBy(policy(purpose(Operator.IS_ANY_OF, List.of("ai", "analytics")),
                    purpose(Operator.IS_NONE_OF, List.of("ai.training", "analytics"))))).hasValue(Set.of("ai", "ai.inference", "ai.evaluation"));
        }

        @Test
        void grantedBy_whenThePolicyNamesNoPurpose_shouldBeEmpty() {
            assertThat(PurposeConstraintFunction.grantedBy(policy())).isEmpty();
            assertThat(PurposeConstraintFunction.grantedBy(policy(purpose(Operator.EQ, "marketing")))).isEmpty();
        }
    }
}
