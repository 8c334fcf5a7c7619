package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * ODRL {@code elapsedTime}: how long the data may be used after the agreement is signed, e.g.
 * {@code elapsedTime lteq P30D}. The right operand is an ISO 8601 duration. Before there is an agreement (catalog,
 * negotiation) no time has elapsed; at transfer start and while the policy monitor watches a running transfer, the
 * time since signing is compared, so a transfer that outlives its window is stopped. Thread-safe.
 */
public final class ElapsedTimeConstraintFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = "http://www.w3.org/ns/odrl/2/elapsedTime";
    // a use window is an upper bound; a lower bound ("not before 7 days after signing") is a dateTime matter
    public static final OperandRule<Duration> RULE = new OperandRule<>(LEFT_OPERAND, "elapsedTime", List.of(Operator.LT, Operator.LEQ),
            (operator, rightValue) -> parse(rightValue));

    private final PolicyTime time;

    ElapsedTimeConstraintFunction(PolicyTime time) {
        this.time = time;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var window = RULE.read(operator, rightValue);
        if (window.failed()) {
            context.reportProblem(window.getFailureDetail());
            return false;
        }
        var signed = time.agreementSigned(context);
        if (signed.isEmpty()) {
            return true;
        }
        var elapsed = Duration.between(signed.get(), time.now(context));
        if (Comparison.holds(elapsed, operator, window.getContent())) {
            return true;
        }
        context.reportProblem("elapsedTime: %s since the agreement was signed at %s, the window is %s %s"
                .formatted(elapsed, signed.get(), Comparison.symbol(operator), window.getContent()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    static Result<Duration> parse(Object rightValue) {
        if (!(RightOperand.plain(rightValue) instanceof String text) || text.isBlank()) {
            return Result.failure("elapsedTime: the right operand must be an ISO 8601 duration string, not %s".formatted(rightValue));
        }
        try {
            var duration = Duration.parse(text.trim());
            if (duration.isNegative() || duration.isZero()) {
                return Result.failure("elapsedTime: '%s' must be a positive duration".formatted(text));
            }
            return Result.success(duration);
        } catch (DateTimeParseException e) {
            return Result.failure("elapsedTime: '%s' is not an ISO 8601 duration (e.g. P30D, PT12H)".formatted(text));
        }
    }
}
