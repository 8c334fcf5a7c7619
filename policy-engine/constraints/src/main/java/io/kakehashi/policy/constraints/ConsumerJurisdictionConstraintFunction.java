package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Consumer jurisdiction: where the consumer is registered, from its verified claims, checked against countries and
 * named groups — the "data free flow with trust" check, e.g. {@code consumerJurisdiction isAnyOf ["JP", "EU_EEA"]}.
 * Operators {@code eq}, {@code neq} (one value), {@code isAnyOf}, {@code isNoneOf} (a list or one value). A consumer
 * whose country of registration is not established is denied, whatever the operator. Thread-safe.
 */
public final class ConsumerJurisdictionConstraintFunction<C extends ParticipantAgentPolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = KakehashiPolicy.CONSUMER_JURISDICTION;
    static final String SHORT_NAME = "jurisdiction";
    private static final List<Operator> OPERATORS = List.of(Operator.EQ, Operator.NEQ, Operator.IS_ANY_OF, Operator.IS_NONE_OF);

    private final OperandRule<Set<String>> operandRule;

    public ConsumerJurisdictionConstraintFunction(JurisdictionGroups groups) {
        this(rule(groups));
    }

    /** A function reading its operands with {@code rule}, made by {@link #rule(JurisdictionGroups)}. */
    public ConsumerJurisdictionConstraintFunction(OperandRule<Set<String>> rule) {
        this.operandRule = rule;
    }

    /** The operand's rule with the configured groups: a country code or a group, or a list of them. */
    public static OperandRule<Set<String>> rule(JurisdictionGroups groups) {
        return new OperandRule<>(LEFT_OPERAND, SHORT_NAME, OPERATORS, (operator, rightValue) -> countries(groups, operator, rightValue));
    }

    public OperandRule<Set<String>> rule() {
        return operandRule;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var allowed = operandRule.read(operator, rightValue);
        if (allowed.failed()) {
            context.reportProblem(allowed.getFailureDetail());
            return false;
        }
        var claims = VerifiedClaims.of(context.participantAgent());
        var country = claims.countryOfRegistration();
        if (country.isEmpty()) {
            context.reportProblem("jurisdiction: the country of registration of '%s' is not established".formatted(claims.participantId()));
            return false;
        }
        var listed = allowed.getContent().contains(country.get());
        var permitted = operator == Operator.EQ || operator == Operator.IS_ANY_OF ? listed : !listed;
        if (!permitted) {
            context.reportProblem("jurisdiction: consumer country %s is %s %s".formatted(country.get(), listed ? "in" : "not in", describe(rightValue)));
        }
        return permitted;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return operandRule.validate(operator, rightValue);
    }

    private static Result<Set<String>> countries(JurisdictionGroups groups, Operator operator, Object rightValue) {
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty()) {
            return Result.failure("jurisdiction: '%s' is not a country, a group, or a list of them".formatted(rightValue));
        }
        var values = texts.get();
        if ((operator == Operator.EQ || operator == Operator.NEQ) && values.size() != 1) {
            return Result.failure("jurisdiction: '%s' takes one country or group".formatted(Comparison.term(operator)));
        }
        if (values.isEmpty()) {
            return Result.failure("jurisdiction: no country or group given");
        }
        var countries = new HashSet<String>();
        for (var value : values) {
            var resolved = groups.countries(value.trim());
            if (resolved.isEmpty()) {
                return Result.failure("jurisdiction: '%s' is neither an ISO 3166-1 alpha-2 country code nor a configured group %s"
                        .formatted(value, groups.names()));
            }
            countries.addAll(resolved.get());
        }
        return Result.success(countries);
    }

    private static String describe(Object rightValue) {
        return RightOperand.texts(rightValue).map(values -> values.size() == 1 ? values.get(0) : values.toString()).orElse(String.valueOf(rightValue));
    }
}
