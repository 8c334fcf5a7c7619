package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;

import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The transfer quotas an agreement's policy sets, for the component that hands them to the data plane: the smallest
 * {@code transfer.maxBytes} and {@code transfer.maxMessages} of its permissions (at the top of a permission or inside
 * an {@code and}); a quota inside {@code or}/{@code xone} is not a firm limit and is not read. Immutable and
 * thread-safe.
 *
 * @param maxBytes    the most bytes one transfer may move, if the policy limits it
 * @param maxMessages the most messages one transfer may move, if the policy limits it
 */
public record TransferQuotas(OptionalLong maxBytes, OptionalLong maxMessages) {

    public static TransferQuotas of(Policy policy) {
        return new TransferQuotas(smallest(policy, TransferQuotaConstraintFunction.MAX_BYTES.leftOperand()),
                smallest(policy, TransferQuotaConstraintFunction.MAX_MESSAGES.leftOperand()));
    }

    private static OptionalLong smallest(Policy policy, String leftOperand) {
        return policy.getPermissions().stream()
                .map(Permission::getConstraints)
                .flatMap(constraints -> constraints.stream().flatMap(TransferQuotas::conjuncts))
                .filter(c -> c.getLeftExpression() instanceof LiteralExpression left && leftOperand.equals(left.asString()))
                .filter(c -> c.getRightExpression() instanceof LiteralExpression)
                .map(c -> (leftOperand.equals(KakehashiPolicy.TRANSFER_MAX_BYTES) ? TransferQuotaConstraintFunction.MAX_BYTES : TransferQuotaConstraintFunction.MAX_MESSAGES)
                        .read(c.getOperator(), ((LiteralExpression) c.getRightExpression()).getValue()))
                .filter(quota -> quota.succeeded())
                .mapToLong(quota -> quota.getContent())
                .min();
    }

    private static Stream<AtomicConstraint> conjuncts(Constraint constraint) {
        if (constraint instanceof AtomicConstraint atomic) {
            return Stream.of(atomic);
        }
        if (constraint instanceof AndConstraint and) {
            return and.getConstraints().stream().flatMap(TransferQuotas::conjuncts);
        }
        return Stream.empty();
    }
}
