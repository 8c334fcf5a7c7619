package io.kakehashi.policy.decisionlog.runtime;

/**
 * Short names for left operands, as the decision log and denial messages show them: the last segment of the IRI
 * ({@code https://w3id.org/kakehashi/policy/consumerJurisdiction} is {@code consumerJurisdiction},
 * {@code http://www.w3.org/ns/odrl/2/dateTime} is {@code dateTime}). Stateless and thread-safe.
 */
final class ConstraintNames {

    private static final int MAX_VALUE_LENGTH = 200;

    private ConstraintNames() {
    }

    static String shortName(Object leftOperand) {
        var name = String.valueOf(leftOperand);
        var cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('#'));
        return cut >= 0 && cut < name.length() - 1 ? name.substring(cut + 1) : name;
    }

    /** A right operand as text, cut short so that a huge value cannot bloat the log. */
    static String value(Object rightOperand) {
        var text = String.valueOf(rightOperand);
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH) + "…";
    }
}
