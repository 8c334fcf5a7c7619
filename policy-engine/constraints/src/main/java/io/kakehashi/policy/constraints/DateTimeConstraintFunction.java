package io.kakehashi.policy.constraints;

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

    private final PolicyTime time;

    DateTimeConstraintFunction(PolicyTime time) {
        this.time = time;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var limit = parse(rightValue);
        if (limit.failed() || !Comparison.OPERATORS.contains(operator)) {
            context.reportProblem("dateTime: constraint '%s %s' cannot be evaluated".formatted(Comparison.term(operator), rightValue));
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
        if (!Comparison.OPERATORS.contains(operator)) {
            return Result.failure("dateTime: operator '%s' is not allowed (eq, neq, gt, gteq, lt, lteq)".formatted(Comparison.term(operator)));
        }
        return parse(rightValue).mapEmpty();
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
