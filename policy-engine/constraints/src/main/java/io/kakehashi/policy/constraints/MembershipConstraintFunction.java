package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.List;

/**
 * Membership of a dataspace, e.g. {@code membership isAnyOf ["ouranos", "catena-x"]}: the consumer's verified claims
 * must name one of the dataspaces. Operators {@code eq} (one name) and {@code isAnyOf}. A consumer with no verified
 * membership is denied. Thread-safe.
 */
public final class MembershipConstraintFunction<C extends ParticipantAgentPolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = KakehashiPolicy.MEMBERSHIP;
    public static final OperandRule<List<String>> RULE = new OperandRule<>(LEFT_OPERAND, "membership", CredentialNames.OPERATORS,
            (operator, rightValue) -> CredentialNames.parse("membership", "dataspace", operator, rightValue));

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var dataspaces = RULE.read(operator, rightValue);
        if (dataspaces.failed()) {
            context.reportProblem(dataspaces.getFailureDetail());
            return false;
        }
        var claims = VerifiedClaims.of(context.participantAgent());
        if (dataspaces.getContent().stream().anyMatch(claims.memberships()::contains)) {
            return true;
        }
        context.reportProblem(claims.memberships().isEmpty()
                ? "membership: '%s' has no verified dataspace membership, %s required".formatted(claims.participantId(), CredentialNames.describe(dataspaces.getContent()))
                : "membership: consumer is a member of %s, not of %s".formatted(claims.memberships().stream().sorted().toList(), CredentialNames.describe(dataspaces.getContent())));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }
}
