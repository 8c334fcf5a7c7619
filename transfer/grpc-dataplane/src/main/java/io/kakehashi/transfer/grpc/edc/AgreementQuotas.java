package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Policy;

import java.util.List;
import java.util.function.Function;

/**
 * The quotas of a data flow, from its agreement's policy: permission constraints whose left operand is
 * {@link KakehashiPolicy#TRANSFER_MAX_BYTES} or {@link KakehashiPolicy#TRANSFER_MAX_MESSAGES} and whose right
 * operand is a number ({@code lteq}, {@code eq} or {@code lt}, the last meaning one less). The smallest of
 * several wins; a flow without them, or unknown, has no quota. Thread-safe.
 */
public final class AgreementQuotas implements Function<String, TransferLimits> {

    private final DataPlaneStore flows;
    private final ContractNegotiationStore agreements;

    public AgreementQuotas(DataPlaneStore flows, ContractNegotiationStore agreements) {
        this.flows = flows;
        this.agreements = agreements;
    }

    @Override
    public TransferLimits apply(String flowId) {
        var flow = flows.findById(flowId);
        if (flow == null || flow.getAgreementId() == null) {
            return TransferLimits.NONE;
        }
        var agreement = agreements.findContractAgreement(flow.getAgreementId());
        return agreement == null ? TransferLimits.NONE : limitsOf(agreement.getPolicy());
    }

    /** The quotas a policy sets. */
    public static TransferLimits limitsOf(Policy policy) {
        var maxBytes = Long.MAX_VALUE;
        var maxMessages = Long.MAX_VALUE;
        for (var permission : policy.getPermissions()) {
            for (var atomic : atomics(permission.getConstraints())) {
                var left = atomic.getLeftExpression() instanceof LiteralExpression l ? String.valueOf(l.getValue()) : null;
                var limit = limitOf(atomic);
                if (limit == null) {
                    continue;
                }
                if (KakehashiPolicy.TRANSFER_MAX_BYTES.equals(left)) {
                    maxBytes = Math.min(maxBytes, limit);
                } else if (KakehashiPolicy.TRANSFER_MAX_MESSAGES.equals(left)) {
                    maxMessages = Math.min(maxMessages, limit);
                }
            }
        }
        return new TransferLimits(maxBytes, maxMessages);
    }

    private static List<AtomicConstraint> atomics(List<Constraint> constraints) {
        return constraints.stream().flatMap(constraint -> {
            if (constraint instanceof AtomicConstraint atomic) {
                return List.of(atomic).stream();
            }
            if (constraint instanceof AndConstraint and) {
                return atomics(and.getConstraints()).stream();
            }
            // or/xone: which branch holds is the policy engine's business; a quota must be unconditional
            return List.<AtomicConstraint>of().stream();
        }).toList();
    }

    private static Long limitOf(AtomicConstraint atomic) {
        if (!(atomic.getRightExpression() instanceof LiteralExpression right)) {
            return null;
        }
        Object raw = right.getValue();
        // a right operand may arrive in its JSON-LD form: {"@value": 123} or a quoted JSON string
        if (raw instanceof java.util.Map<?, ?> map && map.containsKey("@value")) {
            raw = map.get("@value");
        }
        var text = String.valueOf(raw).trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        long value;
        try {
            value = new java.math.BigDecimal(text).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        if (value < 0) {
            return 0L;
        }
        var operator = atomic.getOperator();
        if (operator == Operator.LT) {
            return Math.max(0, value - 1);
        }
        return operator == Operator.LEQ || operator == Operator.EQ ? value : null;
    }
}
