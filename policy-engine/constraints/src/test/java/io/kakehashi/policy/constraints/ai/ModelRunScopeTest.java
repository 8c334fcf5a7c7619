package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.constraints.DeletionDutyExtension;
import io.kakehashi.policy.constraints.TimeConstraintsExtension;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.ModelRunPolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRules;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.inferenceRuns} and the time window in the {@code model.run} scope, on EDC's own policy engine registered as
 * the connector registers it; the counterparty's constraints are left out of a run's decision.
 */
class ModelRunScopeTest {

    private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
    private static final ContractAgreement AGREEMENT = ContractAgreement.Builder.newInstance()
            .id("local-1").agreementId("agreement-1").providerId("did:web:vendor.example").consumerId("did:web:maker.example")
            .assetId("spindle-anomaly-model").contractSigningDate(SIGNED.getEpochSecond()).policy(Policy.Builder.newInstance().build()).build();

    private final PolicyEngine engine = engine();

    private static PolicyEngine engine() {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        var registrar = new ConstraintRegistrar(engine, bindings, new OperandRules());
        ComputeScopeExtension.register(engine, bindings, registrar);
        ModelRunScopeExtension.register(engine, bindings, registrar);
        TimeConstraintsExtension.register(bindings, registrar, Clock.fixed(SIGNED, ZoneOffset.UTC));
        DeletionDutyExtension.register(bindings, registrar, Clock.fixed(SIGNED, ZoneOffset.UTC));
        return engine;
    }

    private static AtomicConstraint constraint(String leftOperand, Operator operator, Object rightOperand) {
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                .rightExpression(new LiteralExpression(rightOperand)).build();
    }

    private static Policy useOnlyIf(AtomicConstraint... constraints) {
        return Policy.Builder.newInstance().permission(Permission.Builder.newInstance()
                .action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .constraints(List.of(constraints)).build()).build();
    }

    private Result<Void> run(Policy policy, long runsSoFar, Instant now) {
        return engine.evaluate(policy, new ModelRunPolicyContext(AGREEMENT, now, runsSoFar, Map.of()));
    }

    /** The reasons the functions reported, as the decision log keeps them. */
    private List<String> problems(Policy policy, long runsSoFar, Instant now) {
        var context = new ModelRunPolicyContext(AGREEMENT, now, runsSoFar, Map.of());
        assertThat(engine.evaluate(policy, context).failed()).isTrue();
        return context.getProblems();
    }

    @Nested
    class InferenceRuns {

        private final Policy threeRuns = useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, "3"));

        @Test
        void evaluate_whenRunsAreLeft_shouldPermit() {
            assertThat(run(threeRuns, 0, SIGNED).succeeded()).isTrue();
            assertThat(run(threeRuns, 2, SIGNED).succeeded()).isTrue();
        }

        @Test
        void evaluate_whenTheRunsAreUsedUp_shouldDenyAndSayHowMany() {
            assertThat(problems(threeRuns, 3, SIGNED)).containsExactly("ai.inferenceRuns: 3 runs of the model used of 3 allowed under agreement local-1");
        }

        @Test
        void evaluate_whenLessThan_shouldAllowOneFewer() {
            var policy = useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LT, 2));

            assertThat(run(policy, 0, SIGNED).succeeded()).isTrue();
            assertThat(problems(policy, 1, SIGNED)).containsExactly("ai.inferenceRuns: 1 run of the model used of 1 allowed under agreement local-1");
        }

        @Test
        void limit_shouldReadTheSmallestAllowedCount() {
            assertThat(InferenceRunsConstraintFunction.limit(threeRuns)).hasValue(3);
            assertThat(InferenceRunsConstraintFunction.limit(useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LT, 2)))).hasValue(1);
            assertThat(InferenceRunsConstraintFunction.limit(useOnlyIf())).isEmpty();
        }
    }

    @Nested
    class TimeWindow {

        private final Policy thirtyDays = useOnlyIf(constraint("http://www.w3.org/ns/odrl/2/elapsedTime", Operator.LEQ, "P30D"));

        @Test
        void evaluate_whenInsideTheWindow_shouldPermit() {
            assertThat(run(thirtyDays, 0, SIGNED.plus(Duration.ofDays(29))).succeeded()).isTrue();
        }

        @Test
        void evaluate_whenTheWindowHasClosed_shouldDeny() {
            assertThat(problems(thirtyDays, 0, SIGNED.plus(Duration.ofDays(31)))).singleElement().asString().startsWith("elapsedTime: ");
        }
    }

    @Nested
    class DeletionDuty {

        private final Policy deleteWithin90Days = Policy.Builder.newInstance().permission(Permission.Builder.newInstance()
                .action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                .duty(org.eclipse.edc.policy.model.Duty.Builder.newInstance()
                        .action(Action.Builder.newInstance().type("http://www.w3.org/ns/odrl/2/delete").build())
                        .constraint(constraint("http://www.w3.org/ns/odrl/2/elapsedTime", Operator.LEQ, "P90D")).build())
                .build()).build();

        @Test
        void evaluate_beforeTheDeadline_shouldPermit() {
            assertThat(run(deleteWithin90Days, 0, SIGNED.plus(Duration.ofDays(89))).succeeded()).isTrue();
        }

        @Test
        void evaluate_afterTheDeadline_shouldDenyTheRun() {
            assertThat(problems(deleteWithin90Days, 0, SIGNED.plus(Duration.ofDays(91)))).singleElement().asString()
                    .startsWith("duty: the data was due for deletion by 2027-01-30T00:00:00Z");
        }
    }

    @Nested
    class OtherScopes {

        @Test
        void evaluate_whenThePolicyHoldsComputeConstraints_shouldLeaveThemOutOfTheRun() {
            // compute.jobCount is not registered here at all and ai.minAggregation only in the compute scope: a run
            // decides neither
            var policy = useOnlyIf(constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "10"),
                    constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, "1"));

            assertThat(run(policy, 0, SIGNED).succeeded()).isTrue();
            assertThat(run(policy, 1, SIGNED).failed()).isTrue();
        }
    }

    @Nested
    class Validation {

        @Test
        void validate_whenWellFormed_shouldAccept() {
            assertThat(engine.validate(useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, 100))).succeeded()).isTrue();
        }

        @Test
        void validate_whenMalformed_shouldRefuseNamingTheConstraint() {
            assertThat(engine.validate(useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, "0"))).getFailureDetail())
                    .contains("ai.inferenceRuns");
            assertThat(engine.validate(useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.GT, "5"))).failed()).isTrue();
            assertThat(engine.validate(useOnlyIf(constraint(KakehashiPolicy.AI_INFERENCE_RUNS, Operator.LEQ, "many"))).failed()).isTrue();
        }
    }
}
