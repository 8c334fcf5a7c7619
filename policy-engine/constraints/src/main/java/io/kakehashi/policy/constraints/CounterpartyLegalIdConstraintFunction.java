package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.RegistryIdentifier;
import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.spi.RightOperand;
import io.kakehashi.policy.validation.OperandRule;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The consumer's legal identity in a public registry, from its verified LegalEntityCredential, e.g.
 * {@code counterpartyLegalId eq "jcn:*"} (only companies with a Japanese corporate number) or
 * {@code counterpartyLegalId isAnyOf ["JCN:1180301018771", "lei:*"]}. A value is {@code jcn:*} or {@code lei:*} (any
 * identifier of that registry; the scheme in any case) or one identifier, {@code JCN:<13 digits>} or
 * {@code LEI:<20 characters>}, whose check digits must hold. Operators {@code eq} (one value) and {@code isAnyOf}.
 * A consumer without a verified registry identifier is denied. Thread-safe.
 */
public final class CounterpartyLegalIdConstraintFunction<C extends ParticipantAgentPolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {

    public static final String LEFT_OPERAND = KakehashiPolicy.COUNTERPARTY_LEGAL_ID;
    public static final OperandRule<List<Accepted>> RULE = new OperandRule<>(LEFT_OPERAND, "counterpartyLegalId", CredentialNames.OPERATORS,
            CounterpartyLegalIdConstraintFunction::parse);

    /**
     * One accepted value: every identifier of a registry ({@code id} empty), or one identifier.
     */
    public record Accepted(RegistryIdentifier.Scheme scheme, Optional<RegistryIdentifier> id) {

        boolean admits(RegistryIdentifier candidate) {
            return id.map(candidate::equals).orElse(candidate.scheme() == scheme);
        }

        @Override
        public String toString() {
            return id.map(RegistryIdentifier::toString).orElse(scheme.name().toLowerCase(Locale.ROOT) + ":*");
        }
    }

    static Result<List<Accepted>> parse(Operator operator, Object rightValue) {
        var texts = RightOperand.texts(rightValue);
        if (texts.isEmpty() || texts.get().isEmpty()) {
            return Result.failure("counterpartyLegalId: '%s' is not 'jcn:*', 'lei:*', a JCN:<13 digits> or LEI:<20 characters> identifier, or a list of them"
                    .formatted(rightValue));
        }
        var values = texts.get().stream().map(String::trim).toList();
        if (operator == Operator.EQ && values.size() != 1) {
            return Result.failure("counterpartyLegalId: 'eq' takes one value, not %s".formatted(values));
        }
        var accepted = new ArrayList<Accepted>();
        for (var value : values) {
            var wildcard = value.toLowerCase(Locale.ROOT);
            if (wildcard.equals("jcn:*") || wildcard.equals("lei:*")) {
                accepted.add(new Accepted(RegistryIdentifier.Scheme.valueOf(wildcard.substring(0, 3).toUpperCase(Locale.ROOT)), Optional.empty()));
                continue;
            }
            var id = RegistryIdentifier.parse(value);
            if (id.failed()) {
                return Result.failure("counterpartyLegalId: '%s' is not 'jcn:*', 'lei:*' or a valid identifier: %s".formatted(value, id.getFailureDetail()));
            }
            accepted.add(new Accepted(id.getContent().scheme(), Optional.of(id.getContent())));
        }
        return Result.success(List.copyOf(accepted));
    }

    @Override
    public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
        var accepted = RULE.read(operator, rightValue);
        if (accepted.failed()) {
            context.reportProblem(accepted.getFailureDetail());
            return false;
        }
        var claims = VerifiedClaims.of(context.participantAgent());
        var required = accepted.getContent().size() == 1 ? accepted.getContent().get(0).toString() : accepted.getContent().toString();
        if (claims.registryId().isEmpty()) {
            context.reportProblem("counterpartyLegalId: '%s' has no verified legal-entity credential with a JCN or LEI, %s required"
                    .formatted(claims.participantId(), required));
            return false;
        }
        var id = claims.registryId().get();
        if (accepted.getContent().stream().anyMatch(a -> a.admits(id))) {
            return true;
        }
        context.reportProblem("counterpartyLegalId: consumer is %s, not %s".formatted(id, required));
        return false;
    }

    @Override
    public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
        return RULE.validate(operator, rightValue);
    }
}
