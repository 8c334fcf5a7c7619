package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.RightOperand;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the right operand of a credential constraint: one name for {@code eq}, a list of names (or one) for
 * {@code isAnyOf}. A name is a dataspace or certification name such as {@code catena-x}, {@code GAIA-X} or
 * {@code ISO27001}. Stateless and thread-safe.
 */
final class CredentialNames {

    static final List<Operator> OPERATORS = List.of(Operator.EQ, Operator.IS_ANY_OF);
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,127}");

    private CredentialNames() {
    }

    static Result<List<String>> parse(String shortName, String what, Operator operator, Object rightValue) {
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty() || texts.get().isEmpty()) {
            return Result.failure("%s: '%s' is not a %s name or a list of them".formatted(shortName, rightValue, what));
        }
        var names = texts.get().stream().map(String::trim).toList();
        if (operator == Operator.EQ && names.size() != 1) {
            return Result.failure("%s: 'eq' takes one %s name, not %s".formatted(shortName, what, names));
        }
        for (var name : names) {
            if (!NAME.matcher(name).matches()) {
                return Result.failure("%s: '%s' is not a %s name".formatted(shortName, name, what));
            }
        }
        return Result.success(names);
    }

    static String describe(List<String> names) {
        return names.size() == 1 ? names.get(0) : names.toString();
    }
}
