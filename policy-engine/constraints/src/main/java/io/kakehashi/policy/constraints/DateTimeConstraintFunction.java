package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ODRL {@code dateTime}: an absolute window for using the data, e.g. {@code dateTime lteq 2027-03-31T23:59:59+09:00}.
 * The right operand is an ISO 8601 date-time with an offset, or a date (its start, in UTC). Compares the time of the
 * evaluation with it. Thread-safe.
 */
public final class DateTimeConstraintFunction<C extends PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = "http://www.w3.org/ns/odrl/2/dateTime";
    public static final OperandRule<Instant> RULE = new OperandRule<>(LEFT_OPERAND, "dateTime", Comparison.OPERATORS,
            (operator, rightValue) -> parse(rightValue));

    private final PolicyTime time;

    DateTimeConstraintFunction(PolicyTime time) {
        this.time = time;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var limit = RULE.read(operator, rightValue);
        if (limit.failed()) {
            context.reportProblem(limit.getFailureDetail());
            return false;
        }
        var now = time.now(context);
        if (Comparison.holds(now, operator, limit.getContent())) {
            return true;
        }
        context.reportProblem("dateTime: now (%s) is not %s %s".formatted(now, Comparison.symbol(operator), limit.getContent()));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }

    static Result<Instant> parse(Object rightValue) {
        if (!(RightOperand.plain(rightValue) instanceof String text) || text.isBlank()) {
            return Result.failure("dateTime: the right operand must be an ISO 8601 date-time string, not %s".formatted(rightValue));
        }
        try {
            return Result.success(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException notADateTime) {
            try {
                return Result.success(LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notADate) {
                return Result.failure("dateTime: '%s' is not an ISO 8601 date-time with offset (e.g. 2027-03-31T23:59:59+09:00) or date".formatted(text));
            }
        }
    }
}
