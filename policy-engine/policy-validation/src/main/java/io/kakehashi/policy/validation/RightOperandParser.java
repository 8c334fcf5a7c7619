package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

/**
 * Reads a constraint's right operand as EDC hands it over (a plain value or its JSON-LD form) into the value its
 * function compares with, or says why it cannot. Some operands depend on the operator (one value for {@code eq}, a
 * list for {@code isAnyOf}), so the operator is given too; it is already one the operand allows. Implementations are
 * stateless or immutable, and thread-safe.
 */
@FunctionalInterface
public interface RightOperandParser<T> {

    /**
     * The right operand's value; a failure's message starts with the operand's short name, e.g.
     * {@code "elapsedTime: 'soon' is not an ISO 8601 duration"}.
     */
    Result<T> parse(Operator operator, Object rightValue);
}
