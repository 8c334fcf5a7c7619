package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The table of the left operands a connector understands: operand → allowed operators → right-operand parser. Every
 * constraint extension adds its operands (through {@link ConstraintRegistrar}); a constraint whose operand is not in
 * the table, whose operator the operand does not take, or whose right operand does not read, is refused. Thread-safe.
 */
public final class OperandRules {

    private final ConcurrentMap<String, OperandRule<?>> rules = new ConcurrentHashMap<>();

    /**
     * Adds an operand's rule. Adding the same rule again is harmless; a different rule for an operand already in the
     * table is refused, so two extensions cannot disagree about what an operand means.
     */
    public Result<Void> add(OperandRule<?> rule) {
        var existing = rules.putIfAbsent(rule.leftOperand(), rule);
        if (existing != null && !existing.equals(rule)) {
            return Result.failure("left operand '%s' already has a rule (%s)".formatted(rule.leftOperand(), existing.shortName()));
        }
        return Result.success();
    }

    public Optional<OperandRule<?>> rule(String leftOperand) {
        return Optional.ofNullable(rules.get(leftOperand));
    }

    /** The rules in the table, ordered by left operand. */
    public List<OperandRule<?>> all() {
        return rules.values().stream().sorted(Comparator.comparing(OperandRule::leftOperand)).toList();
    }

    /**
     * Whether the constraint {@code leftOperand operator rightValue} is well formed; a failure names the operand (its
     * short name, or the IRI when the operand is unknown).
     */
    public Result<Void> validate(String leftOperand, Operator operator, Object rightValue) {
        var rule = rules.get(leftOperand);
        if (rule == null) {
            return Result.failure("'%s' is not a left operand this connector understands".formatted(leftOperand));
        }
        return rule.validate(operator, rightValue);
    }
}
