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
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code derivedData}, {@code derivedModels} and {@code modelRights} on EDC's own policy engine, registered as the
 * connector registers them: decided in the compute scope, each refusal naming the constraint and the job.
 */
class DerivationConstraintsTest {

    private static final ParticipantAgent VENDOR = new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    private static final ContractAgreement AGREEMENT = ContractAgreement.Builder.newInstance()
            .id("agreement-1").agreementId("agreement-1").providerId("jp-machine-tool-maker").consumerId("ai-vendor")
            .assetId("machine-operation-data").contractSigningDate(0).policy(Policy.Builder.newInstance().build()).build();

    private final PolicyEngine engine = engine();

    private static PolicyEngine engine() {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        engine.registerScope(CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        bindings.bind(KakehashiPolicy.ODRL_USE, CatalogPolicyContext.CATALOG_SCOPE);
        ComputeScopeExtension.register(engine, bindings, new ConstraintRegistrar(engine, bindings, new OperandRules()));
        return engine;
    }

    private static Policy useOnlyIf(String leftOperand, Operator operator, Object rightOperand) {
        var constraint = AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                .rightExpression(new LiteralExpression(rightOperand)).build();
        return Policy.Builder.newInstance().permission(Permission.Builder.newInstance()
                .action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build()).constraint(constraint).build()).build();
    }

    private static ComputeJob job(String type) {
        return new ComputeJob(type, type.equals("training"), OptionalLong.of(10), OptionalDouble.empty(), 0);
    }

    private Result<Void> decide(Policy policy, String jobType) {
        var context = new ComputePolicyContext(VENDOR, AGREEMENT, Instant.now(), job(jobType));
        var decision = engine.evaluate(policy, context);
        // EDC's own message names the constraint; the reason the function gives is among the context's problems
        return decision.succeeded() ? decision : Result.failure(decision.getFailureDetail() + " " + String.join("; ", context.getProblems()));
    }

    @Nested
    class DerivedData {

        @Test
        void evaluate_whenNoneAndASqlJob_shouldDenyNamingTheJob() {
            var decision = decide(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "none"), "sql");

            assertThat(decision.failed()).isTrue();
            assertThat(decision.getFailureDetail()).contains("derivedData: the sql job would make derived data from the data; the agreement allows none");
        }

        @Test
        void evaluate_whenNoneAndAnEvaluationJob_shouldDeny() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "none"), "evaluation").failed()).isTrue();
        }

        @Test
        void evaluate_whenNoneAndATrainingJob_shouldPermit() {
            // a model is not derived data: derivedModels decides it
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "none"), "training").succeeded()).isTrue();
        }

        @Test
        void evaluate_whenUseOnlyOrKeep_shouldPermitASqlJob() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "use-only"), "sql").succeeded()).isTrue();
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "keep"), "sql").succeeded()).isTrue();
        }
    }

    @Nested
    class DerivedModels {

        @Test
        void evaluate_whenNoneAndATrainingJob_shouldDenyNamingTheJob() {
            var decision = decide(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.EQ, "none"), "training");

            assertThat(decision.failed()).isTrue();
            assertThat(decision.getFailureDetail()).contains("derivedModels: the training job would make a model from the data; the agreement allows none");
        }

        @Test
        void evaluate_whenNoneAndAFederatedRound_shouldDeny() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.EQ, "none"), "fl-round").failed()).isTrue();
        }

        @Test
        void evaluate_whenNoneAndASqlJob_shouldPermit() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.EQ, "none"), "sql").succeeded()).isTrue();
        }

        @Test
        void evaluate_whenKeep_shouldPermitATrainingJob() {
            assertThat(decide(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.EQ, "keep"), "training").succeeded()).isTrue();
        }
    }

    @Nested
    class ModelRights {

        @Test
        void evaluate_whenEachHolderTheGuidelineNames_shouldPermitTraining() {
            for (var holder : new String[]{"provider", "consumer", "joint"}) {
                assertThat(decide(useOnlyIf(KakehashiPolicy.MODEL_RIGHTS, Operator.EQ, holder), "training").succeeded()).as(holder).isTrue();
            }
        }

        @Test
        void evaluate_whenTheHolderDoesNotRead_shouldDenyWithTheReason() {
            var decision = decide(useOnlyIf(KakehashiPolicy.MODEL_RIGHTS, Operator.EQ, "vendor"), "training");

            assertThat(decision.failed()).isTrue();
            assertThat(decision.getFailureDetail()).contains("modelRights: 'vendor' is not 'provider', 'consumer' or 'joint'");
        }
    }

    @Nested
    class ValidationAtCreation {

        @Test
        void validate_whenWellFormed_shouldAccept() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "use-only")).succeeded()).isTrue();
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.EQ, "keep")).succeeded()).isTrue();
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.MODEL_RIGHTS, Operator.EQ, "joint")).succeeded()).isTrue();
        }

        @Test
        void validate_whenTheValueOrOperatorIsWrong_shouldRefuseNamingTheConstraint() {
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.DERIVED_DATA, Operator.EQ, "sometimes")).getFailureDetail())
                    .contains("derivedData: 'sometimes' is not 'none', 'use-only' or 'keep'");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.DERIVED_MODELS, Operator.NEQ, "none")).getFailureDetail())
                    .contains("derivedModels: operator 'neq' is not allowed (eq)");
            assertThat(engine.validate(useOnlyIf(KakehashiPolicy.MODEL_RIGHTS, Operator.EQ, "everyone")).getFailureDetail())
                    .contains("modelRights: 'everyone' is not 'provider', 'consumer' or 'joint'");
        }
    }
}
