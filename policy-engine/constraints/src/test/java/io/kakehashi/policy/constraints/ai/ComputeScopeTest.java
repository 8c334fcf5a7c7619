package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRules;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AI-use constraints on EDC's own policy engine, registered as the connector registers them: evaluated in the
 * compute scope, left out of the others, validated when a policy is created.
 */
class ComputeScopeTest {

    private static final ParticipantAgent VENDOR = new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    private static final ContractAgreement AGREEMENT = ContractAgreement.Builder.newInstance()
            .id("agreement-1").agreementId("agreement-1").providerId("jp-machine-tool-maker").consumerId("ai-vendor")
            .assetId("machine-operation-data").contractSigningDate(0).policy(Policy.Builder.newInstance().build()).build();

    private final PolicyEngine engine = engine();

    private static PolicyEngine engine() {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        engine.registerScope(CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        // as in the connector, where the time constraints bind "use" to the catalog scope too
        bindings.bind(KakehashiPolicy.ODRL_USE, CatalogPolicyContext.CATALOG_SCOPE);
        ComputeScopeExtension.register(engine, bindings, new ConstraintRegistrar(engine, bindings, new OperandRules()));
        return engine;
    }

    private static Policy useOnlyIf(String leftOperand, Operator operator, Object rightOperand) {
        var constraint = AtomicConstraint.Builder.newInstance()
                .leftExpression(new LiteralExpression(leftOperand))
                .operator(operator)
                .rightExpression(new LiteralExpression(rightOperand))
                .build();
        return Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance()
                        .action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build())
                        .constraint(constraint)
                        .build())
                .build();
    }

    private static ComputeJob sqlJob(long minimumGroupSize) {
        return new ComputeJob("sql", false, OptionalLong.of(minimumGroupSize), OptionalDouble.empty(), 0);
    }

    private static ComputeJob training(boolean exportsModel, double epsilonRequested, double epsilonSpent) {
        return new ComputeJob("training", exportsModel, OptionalLong.empty(), OptionalDouble.of(epsilonRequested), epsilonSpent);
    }

    private org.eclipse.edc.spi.result.Result<Void> decide(Policy policy, ComputeJob job) {
        return engine.evaluate(policy, new ComputePolicyContext(VENDOR, AGREEMENT, Instant.now(), job));
    }

    @Nested
    class ModelExport {

        private final Policy metricsOnly = useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "false");

        @Test
        void whenTheModelMayNotLeave_aJobReturningAModelShouldBeRefusedNamingTheConstraint() {
            var decision = decide(metricsOnly, training(true, 0.1, 0));

            assertThat(decision.failed()).isTrue();
            assertThat(decision.getFailureDetail()).contains("ai.modelExport");
        }

        @Test
        void whenTheModelMayNotLeave_aJobReturningMetricsShouldBeAdmitted() {
            assertThat(decide(metricsOnly, training(false, 0.1, 0)).succeeded()).isTrue();
        }

        @Test
        void whenTheModelMayLeave_aJobReturningAModelShouldBeAdmitted() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, true), training(true, 0.1, 0)).succeeded()).isTrue();
        }
    }

    @Nested
    class MinAggregation {

        private final Policy kTen = useOnlyIf(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, 10L);

        @Test
        void aJobWhoseGuardIsAtLeastKShouldBeAdmitted() {
            assertThat(decide(kTen, sqlJob(10)).succeeded()).isTrue();
            assertThat(decide(kTen, sqlJob(50)).succeeded()).isTrue();
        }

        @Test
        void aJobWhoseGuardIsWeakerShouldBeRefused() {
            assertThat(decide(kTen, sqlJob(5)).failed()).isTrue();
        }

        @Test
        void aJobWithoutAGuardShouldBeRefused() {
            assertThat(decide(kTen, training(false, 0.1, 0)).failed()).isTrue();
        }
    }

    @Nested
    class DpEpsilon {

        private final Policy budgetOfOne = useOnlyIf(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "1.0");

        @Test
        void aJobWithinWhatIsLeftOfTheBudgetShouldBeAdmitted() {
            assertThat(decide(budgetOfOne, training(false, 0.3, 0.6)).succeeded()).isTrue();
        }

        @Test
        void aJobBeyondWhatIsLeftShouldBeRefused() {
            assertThat(decide(budgetOfOne, training(false, 0.3, 0.8)).failed()).isTrue();
        }

        @Test
        void onceTheBudgetIsSpentEveryJobShouldBeRefused() {
            assertThat(decide(budgetOfOne, training(false, 0.001, 1.0)).failed()).isTrue();
        }

        @Test
        void aJobWithoutNoiseShouldBeRefused() {
            assertThat(decide(budgetOfOne, sqlJob(10)).failed()).isTrue();
        }
    }

    @Nested
    class Scoping {

        @Test
        void outsideTheComputeScope_theAiConstraintsShouldNotDecide() {
            var policy = useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "false");

            assertThat(engine.evaluate(policy, new CatalogPolicyContext(VENDOR)).succeeded()).isTrue();
        }
    }

    @Nested
    class ValidationAtCreation {

        @Test
        void wellFormedConstraintsShouldBeAccepted() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "false")).succeeded()).isTrue();
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "10")).succeeded()).isTrue();
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, 2.5)).succeeded()).isTrue();
        }

        @Test
        void aValueOfTheWrongTypeShouldBeRefusedNamingTheConstraint() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "no")).getFailureDetail())
                    .contains("ai.modelExport: 'no' is not true or false");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "ten")).getFailureDetail())
                    .contains("ai.minAggregation");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "1")).getFailureDetail())
                    .contains("at least 2 rows");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "-1")).getFailureDetail())
                    .contains("ai.dpEpsilon");
        }

        @Test
        void aWrongOperatorShouldBeRefused() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_DP_EPSILON, Operator.GEQ, "1.0")).getFailureDetail())
                    .contains("ai.dpEpsilon: operator 'gteq' is not allowed");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.AI_MODEL_EXPORT, Operator.NEQ, "true")).failed()).isTrue();
        }

        @Test
        void anUnknownOperandShouldBeRefused() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.NAMESPACE + "ai.noSuchThing", Operator.EQ, "x")).getFailureDetail())
                    .contains("not bound");
        }
    }
}
