package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * The quotas of one transfer, {@code transfer.maxBytes lteq n} and {@code transfer.maxMessages lteq n}. The gRPC data
 * plane enforces them on every message of a running transfer; at policy time there is nothing to count yet, so a
 * well-formed quota admits the transfer (a malformed one, which validation at creation keeps out, denies). The right
 * operand is a positive whole number. Thread-safe.
 */
public final class TransferQuotaConstraintFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final OperandRule<Long> MAX_BYTES = rule(KakehashiPolicy.TRANSFER_MAX_BYTES, "transfer.maxBytes");
    public static final OperandRule<Long> MAX_MESSAGES = rule(KakehashiPolicy.TRANSFER_MAX_MESSAGES, "transfer.maxMessages");

    private final OperandRule<Long> rule;

    public TransferQuotaConstraintFunction(OperandRule<Long> rule) {
        this.rule = rule;
    }

    private static OperandRule<Long> rule(String leftOperand, String shortName) {
        return new OperandRule<>(leftOperand, shortName, List.of(Operator.LEQ), (operator, rightValue) -> PositiveWholeNumber.parse(shortName, rightValue));
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission permission, C context) {
        var quota = rule.read(operator, rightValue);
        if (quota.failed()) {
            context.reportProblem(quota.getFailureDetail());
            return false;
        }
        return true;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission permission) {
        return rule.validate(operator, rightValue);
    }
}
