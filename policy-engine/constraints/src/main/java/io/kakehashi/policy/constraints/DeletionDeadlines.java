package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The deletion deadlines an agreement obliges its consumer to: for every {@code odrl:delete} duty (of a permission,
 * or an obligation of the policy) with an {@code elapsedTime} window, the signing date plus the window. Both sides
 * hold the same agreement, so both compute the same deadlines. Stateless and thread-safe.
 */
public final class DeletionDeadlines {

    public static final String ODRL_DELETE = "http://www.w3.org/ns/odrl/2/delete";

    /**
     * One deletion obligation.
     *
     * @param deadline when the data must be deleted by
     * @param window   the window after signing that the duty states
     */
    public record DeletionDeadline(Instant deadline, Duration window) {
    }

    private DeletionDeadlines() {
    }

    /** The agreement's deletion deadlines, earliest first; empty when it has no deletion duty with a window. */
    public static List<DeletionDeadline> of(ContractAgreement agreement) {
        var policy = agreement.getPolicy();
        var signed = Instant.ofEpochSecond(agreement.getContractSigningDate());
        var duties = Stream.concat(policy.getPermissions().stream().map(Permission::getDuties).flatMap(List::stream),
                policy.getObligations().stream());
        var deadlines = new ArrayList<DeletionDeadline>();
        duties.filter(DeletionDeadlines::isDeletion).forEach(duty -> duty.getConstraints().stream()
                .filter(AtomicConstraint.class::isInstance).map(AtomicConstraint.class::cast)
                .filter(c -> c.getLeftExpression() instanceof LiteralExpression left && ElapsedTimeConstraintFunction.LEFT_OPERAND.equals(left.asString()))
                .filter(c -> c.getOperator() == Operator.LEQ || c.getOperator() == Operator.LT)
                .filter(c -> c.getRightExpression() instanceof LiteralExpression)
                .map(c -> ElapsedTimeConstraintFunction.parse(((LiteralExpression) c.getRightExpression()).getValue()))
                .filter(window -> window.succeeded())
                .forEach(window -> deadlines.add(new DeletionDeadline(signed.plus(window.getContent()), window.getContent()))));
        deadlines.sort(Comparator.comparing(DeletionDeadline::deadline));
        return List.copyOf(deadlines);
    }

    private static boolean isDeletion(Duty duty) {
        return duty.getAction() != null && ODRL_DELETE.equals(duty.getAction().getType());
    }
}
