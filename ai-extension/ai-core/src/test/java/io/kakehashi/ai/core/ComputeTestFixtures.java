package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.policy.constraints.PurposeConstraintExtension;
import io.kakehashi.policy.constraints.ai.ComputeJobCountConstraintFunction;
import io.kakehashi.policy.constraints.ai.ComputeScopeExtension;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRules;
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

import java.util.UUID;

/** Test data for compute jobs: EDC's engine with the compute scope as the connector registers it, agreements. */
public final class ComputeTestFixtures {

    public static final ParticipantAgent VENDOR = new ParticipantAgent("ai-vendor", java.util.Map.of(), java.util.Map.of());

    private ComputeTestFixtures() {
    }

    /** EDC's policy engine with the compute scope, the AI-use constraints, purpose and the job count over the store. */
    public static PolicyEngine engine(ComputeJobStore store) {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        var registrar = new ConstraintRegistrar(engine, bindings, new OperandRules());
        ComputeScopeExtension.register(engine, bindings, registrar);
        PurposeConstraintExtension.register(registrar);
        registrar.register(ComputeJobCountConstraintFunction.RULE, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class,
                Permission.class, new ComputeJobCountConstraintFunction(new StoreComputeJobCounter(store)));
        return engine;
    }

    public static AtomicConstraint constraint(String leftOperand, Operator operator, Object rightOperand) {
        return AtomicConstraint.Builder.newInstance()
                .leftExpression(new LiteralExpression(leftOperand))
                .operator(operator)
                .rightExpression(new LiteralExpression(rightOperand))
                .build();
    }

    public static Policy useOnlyIf(AtomicConstraint... constraints) {
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build());
        for (var constraint : constraints) {
            permission.constraint(constraint);
        }
        return Policy.Builder.newInstance().permission(permission.build()).build();
    }

    public static ContractAgreement agreement(Policy policy) {
        var id = "agreement-" + UUID.randomUUID();
        return ContractAgreement.Builder.newInstance()
                .id(id).agreementId(id).providerId("jp-machine-tool-maker").consumerId(VENDOR.getIdentity())
                .assetId("machine-operation-data").contractSigningDate(0).policy(policy).build();
    }
}
