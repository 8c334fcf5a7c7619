package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.RegistryIdentifier;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;

class CounterpartyLegalIdConstraintFunctionTest {

    private static final String JCN = "JCN:1180301018771";
    private static final String LEI = "LEI:5493001KJTIIGC8Y1R12";

    private final CounterpartyLegalIdConstraintFunction<ContractNegotiationPolicyContext> function = new CounterpartyLegalIdConstraintFunction<>();

    private static VerifiedClaims consumer(String registryId) {
        return new VerifiedClaims("did:web:vendor", Optional.of("JP"), Optional.of("Vendor K.K."),
                Optional.ofNullable(registryId).map(id -> RegistryIdentifier.parse(id).getContent()), Set.of(), List.of());
    }

    @Test
    void eq_whenAnyJcnIsRequiredAndTheConsumerHasOne_shouldPermit() {
        var context = negotiation(consumer(JCN));

        assertThat(function.evaluate(Operator.EQ, "jcn:*", PERMISSION, context)).isTrue();
        assertThat(function.evaluate(Operator.EQ, "JCN:*", PERMISSION, context)).isTrue();
        assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("lei:*", JCN), PERMISSION, context)).isTrue();
    }

    @Test
    void eq_whenAnyJcnIsRequiredAndTheConsumerHasAnLei_shouldDenyNamingBoth() {
        var context = negotiation(consumer(LEI));

        assertThat(function.evaluate(Operator.EQ, "jcn:*", PERMISSION, context)).isFalse();
        assertThat(context.getProblems()).containsExactly("counterpartyLegalId: consumer is " + LEI + ", not jcn:*");
    }

    @Test
    void isAnyOf_whenTheConsumersJcnIsNotNamed_shouldDeny() {
        var context = negotiation(consumer("JCN:7010401012347"));

        assertThat(function.evaluate(Operator.IS_ANY_OF, List.of(JCN, "JCN:4010001008772"), PERMISSION, context)).isFalse();
        assertThat(context.getProblems()).containsExactly("counterpartyLegalId: consumer is JCN:7010401012347, not [JCN:1180301018771, JCN:4010001008772]");
    }

    @Test
    void evaluate_whenNoLegalEntityCredentialWasVerified_shouldDeny() {
        var context = negotiation(consumer(null));

        assertThat(function.evaluate(Operator.EQ, "lei:*", PERMISSION, context)).isFalse();
        assertThat(context.getProblems()).containsExactly(
                "counterpartyLegalId: 'did:web:vendor' has no verified legal-entity credential with a JCN or LEI, lei:* required");
    }

    @Test
    void validate_whenAValueIsNotAWildcardOrAValidIdentifier_shouldSayWhich() {
        assertThat(function.validate(Operator.IS_ANY_OF, List.of("jcn:*", LEI), PERMISSION).succeeded()).isTrue();
        assertThat(function.validate(Operator.EQ, "JCN:2180301018771", PERMISSION).getFailureDetail())
                .isEqualTo("counterpartyLegalId: 'JCN:2180301018771' is not 'jcn:*', 'lei:*' or a valid identifier: "
                        + "corporate number '2180301018771' has a wrong check digit (expected 1)");
        assertThat(function.validate(Operator.EQ, "duns:*", PERMISSION).getFailureDetail())
                .startsWith("counterpartyLegalId: 'duns:*' is not 'jcn:*', 'lei:*' or a valid identifier: registry identifier scheme 'DUNS' is not known");
        assertThat(function.validate(Operator.EQ, List.of("jcn:*", "lei:*"), PERMISSION).getFailureDetail())
                .isEqualTo("counterpartyLegalId: 'eq' takes one value, not [jcn:*, lei:*]");
        assertThat(function.validate(Operator.NEQ, "jcn:*", PERMISSION).getFailureDetail())
                .isEqualTo("counterpartyLegalId: operator 'neq' is not allowed (eq, isAnyOf)");
        assertThat(function.validate(Operator.EQ, 42L, PERMISSION).failed()).isTrue();
    }
}
