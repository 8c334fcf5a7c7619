package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.RightOperand;
import org.eclipse.edc.spi.result.Result;

/**
 * Reads a limit written as a positive whole number, as a JSON number or a string of digits. Stateless and
 * thread-safe.
 */
public final class PositiveWholeNumber {

    private PositiveWholeNumber() {
    }

    /** The limit; a failure names the operand by {@code shortName}. */
    public static Result<Long> parse(String shortName, Object operand) {
        var rightValue = RightOperand.plain(operand);
        long value;
        if (rightValue instanceof Number number && !Double.isInfinite(number.doubleValue())
                && number.doubleValue() == Math.rint(number.doubleValue()) && Math.abs(number.doubleValue()) < 1e18) {
            value = number.longValue();
        } else if (rightValue instanceof String text && text.trim().matches("-?\\d{1,18}")) {
            value = Long.parseLong(text.trim());
        } else {
            return Result.failure("%s: '%s' is not a whole number".formatted(shortName, rightValue));
        }
        return value > 0 ? Result.success(value) : Result.failure("%s: the limit must be at least 1, not %d".formatted(shortName, value));
    }
}
