package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyValidatorRule;
import org.eclipse.edc.policy.model.Policy;

import java.util.Objects;

/**
 * A pre-validator for every scope that evaluates an agreement's policy (transfer, compute, the policy monitor): it
 * refuses the evaluation when {@link AgreementStatus} says the agreement can no longer be used, and reports why as
 * the evaluation's problem, so the decision log records a DENY with that reason. Thread-safe.
 *
 * @param <C> the scope's context
 */
public final class UsableAgreementRule<C extends AgreementPolicyContext> implements PolicyValidatorRule<C> {

    private final AgreementStatus status;

    public UsableAgreementRule(AgreementStatus status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public Boolean apply(Policy policy, C context) {
        var agreement = context.contractAgreement();
        if (agreement == null) {
            context.reportProblem("no agreement to evaluate");
            return false;
        }
        var usable = status.usable(agreement.getId());
        if (usable.failed()) {
            context.reportProblem(usable.getFailureDetail());
            return false;
        }
        return true;
    }

    @Override
    public String name() {
        return "usable agreement";
    }
}
