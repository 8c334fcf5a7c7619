package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.KakehashiPolicy;
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
    private static final Set<Operator> OPERATORS = Set.of(Operator.EQ, Operator.NEQ, Operator.IS_ANY_OF, Operator.IS_NONE_OF);

    private final JurisdictionGroups groups;

    public ConsumerJurisdictionConstraintFunction(JurisdictionGroups groups) {
        this.groups = groups;
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var allowed = countries(operator, rightValue);
        if (allowed.failed()) {
            context.reportProblem("consumerJurisdiction: constraint cannot be evaluated: " + allowed.getFailureDetail());
            return false;
        }
        var claims = VerifiedClaims.of(context.participantAgent());
        var country = claims.countryOfRegistration();
        if (country.isEmpty()) {
            context.reportProblem("consumerJurisdiction: the country of registration of '%s' is not established".formatted(claims.participantId()));
            return false;
        }
        var listed = allowed.getContent().contains(country.get());
        var permitted = operator == Operator.EQ || operator == Operator.IS_ANY_OF ? listed : !listed;
        if (!permitted) {
            context.reportProblem("consumerJurisdiction: consumer country %s is %s %s".formatted(country.get(), listed ? "in" : "not in", describe(rightValue)));
        }
        return permitted;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return countries(operator, rightValue).mapEmpty();
    }

    private Result<Set<String>> countries(Operator operator, Object rightValue) {
        if (!OPERATORS.contains(operator)) {
            return Result.failure("consumerJurisdiction: operator '%s' is not allowed (eq, neq, isAnyOf, isNoneOf)".formatted(Comparison.term(operator)));
        }
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty()) {
            return Result.failure("consumerJurisdiction: '%s' is not a country, a group, or a list of them".formatted(rightValue));
        }
        var values = texts.get();
        if ((operator == Operator.EQ || operator == Operator.NEQ) && values.size() != 1) {
            return Result.failure("consumerJurisdiction: '%s' takes one country or group".formatted(Comparison.term(operator)));
        }
        if (values.isEmpty()) {
            return Result.failure("consumerJurisdiction: no country or group given");
        }
        var countries = new HashSet<String>();
        for (var value : values) {
            var resolved = groups.countries(value.trim());
            if (resolved.isEmpty()) {
                return Result.failure("consumerJurisdiction: '%s' is neither an ISO 3166-1 alpha-2 country code nor a configured group %s"
                        .formatted(value, groups.names()));
            }
            countries.addAll(resolved.get());
        }
        return Result.success(countries);
    }

    private static String describe(Object rightValue) {
        return RightOperand.texts(rightValue).map(List::toString).orElse(String.valueOf(rightValue));
    }
}
