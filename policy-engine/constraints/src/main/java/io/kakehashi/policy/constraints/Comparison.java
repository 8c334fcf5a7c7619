package io.kakehashi.policy.constraints;

import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.policy.model.Operator;

import java.util.List;

/**
 * The ordering operators of ODRL, applied to comparable values. Stateless and thread-safe.
 */
public final class Comparison {

    static final List<Operator> OPERATORS = List.of(Operator.EQ, Operator.NEQ, Operator.GT, Operator.GEQ, Operator.LT, Operator.LEQ);

    private Comparison() {
    }

    /** Whether {@code actual operator limit} holds. */
    public static <T extends Comparable<T>> boolean holds(T actual, Operator operator, T limit) {
        var order = actual.compareTo(limit);
        return switch (operator) {
            case EQ -> order == 0;
            case NEQ -> order != 0;
            case GT -> order > 0;
            case GEQ -> order >= 0;
            case LT -> order < 0;
            case LEQ -> order <= 0;
            default -> throw new IllegalArgumentException("not an ordering operator: " + operator);
        };
    }

    /** The operator's ODRL term without its namespace, as a policy author writes it ("lteq"). */
    public static String term(Operator operator) {
        return OperandRule.term(operator);
    }

    public static String symbol(Operator operator) {
        return switch (operator) {
            case EQ -> "=";
            case NEQ -> "≠";
            case GT -> ">";
            case GEQ -> "≥";
            case LT -> "<";
            case LEQ -> "≤";
            default -> term(operator);
        };
    }
}
