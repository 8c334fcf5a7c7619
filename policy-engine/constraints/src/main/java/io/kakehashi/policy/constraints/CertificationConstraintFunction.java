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
 * A named certification that is valid now, e.g. {@code certification eq "ISO27001"}: the consumer's verified claims
 * must hold a certification of that name (of one of the names, for {@code isAnyOf}) whose validity covers the time of
 * the evaluation — the transfer's or compute job's own time where there is one, the clock otherwise. An expired or
 * not-yet-valid certification does not count. Thread-safe.
 */
public final class CertificationConstraintFunction<C extends ParticipantAgentPolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = KakehashiPolicy.CERTIFICATION;
    public static final OperandRule<List<String>> RULE = new OperandRule<>(LEFT_OPERAND, "certification", CredentialNames.OPERATORS,
            (operator, rightValue) -> CredentialNames.parse("certification", "certification", operator, rightValue));

    private final PolicyTime time;

    CertificationConstraintFunction(PolicyTime time) {
        this.time = time;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var names = RULE.read(operator, rightValue);
        if (names.failed()) {
            context.reportProblem(names.getFailureDetail());
            return false;
        }
        var claims = VerifiedClaims.of(context.participantAgent());
        var now = time.now(context);
        if (names.getContent().stream().anyMatch(name -> claims.holdsValidCertification(name, now))) {
            return true;
        }
        var held = claims.certifications().stream().filter(c -> names.getContent().contains(c.name())).toList();
        context.reportProblem(held.isEmpty()
                ? "certification: '%s' holds no verified %s certification".formatted(claims.participantId(), CredentialNames.describe(names.getContent()))
                : "certification: %s of '%s' is not valid at %s".formatted(CredentialNames.describe(held.stream().map(c -> c.name()).distinct().toList()),
                claims.participantId(), now));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }
}
