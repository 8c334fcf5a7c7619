package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How one left operand may be written in a policy: the operators it takes and how its right operand is read. Every
 * constraint Kakehashi adds to EDC's policy engine has exactly one, registered with the function through
 * {@link ConstraintRegistrar}; a policy is checked against it when it is created, and the function reads its right
 * operand with the same parser when it evaluates. Immutable and thread-safe.
 *
 * @param leftOperand the operand's IRI, e.g. {@code http://www.w3.org/ns/odrl/2/dateTime}
 * @param shortName   how messages name it, e.g. {@code dateTime}
 * @param operators   the operators it takes, in the order a message lists them
 * @param parser      reads the right operand
 */
public record OperandRule<T>(String leftOperand, String shortName, List<Operator> operators, RightOperandParser<T> parser) {

    public OperandRule {
        Objects.requireNonNull(leftOperand, "leftOperand");
        Objects.requireNonNull(shortName, "shortName");
        Objects.requireNonNull(parser, "parser");
        operators = List.copyOf(operators);
        if (operators.isEmpty()) {
            throw new IllegalArgumentException("an operand takes at least one operator: " + shortName);
        }
    }

    /** The right operand's value when the operator is allowed and the operand reads; otherwise why not. */
    public Result<T> read(Operator operator, Object rightValue) {
        if (operator == null || !operators.contains(operator)) {
            return Result.failure("%s: operator '%s' is not allowed (%s)".formatted(shortName, operator == null ? "none" : term(operator),
                    operators.stream().map(OperandRule::term).collect(Collectors.joining(", "))));
        }
        return parser.parse(operator, rightValue);
    }

    /** Whether a constraint {@code leftOperand operator rightValue} is well formed. */
    public Result<Void> validate(Operator operator, Object rightValue) {
        return read(operator, rightValue).mapEmpty();
    }

    /** An operator's ODRL term without its namespace, as a policy author writes it ("lteq"). */
    public static String term(Operator operator) {
        var iri = operator.getOdrlRepresentation();
        return iri.substring(iri.lastIndexOf('/') + 1);
    }
}
