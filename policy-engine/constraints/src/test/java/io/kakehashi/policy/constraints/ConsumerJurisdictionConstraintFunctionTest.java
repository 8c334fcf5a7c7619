package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerJurisdictionConstraintFunctionTest {

    private static final JurisdictionGroups GROUPS = JurisdictionGroups.of(Map.of(
            "EU_EEA", "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO",
            "APPI_ADEQUATE", "GB")).getContent();
    private final ConsumerJurisdictionConstraintFunction<ContractNegotiationPolicyContext> function = new ConsumerJurisdictionConstraintFunction<>(GROUPS);

    private static ContractNegotiationPolicyContext consumerFrom(String country) {
        Map<String, Object> claims = country == null ? Map.of() : Map.of(VerifiedClaims.COUNTRY_OF_REGISTRATION, country);
        return new ContractNegotiationPolicyContext(new ParticipantAgent("consumer", claims, Map.of()));
    }

    @Nested
    class Evaluate {

        @Test
        void isAnyOf_whenTheCountryIsListedOrInAGroup_shouldPermit() {
            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("JP", "EU_EEA"), PERMISSION, consumerFrom("JP"))).isTrue();
            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("JP", "EU_EEA"), PERMISSION, consumerFrom("DE"))).isTrue();
        }

        @Test
        void isAnyOf_whenTheCountryIsOutside_shouldDenyAndSayWhy() {
            var context = consumerFrom("US");

            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("JP", "EU_EEA"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString()
                    .isEqualTo("jurisdiction: consumer country US is not in [JP, EU_EEA]");
        }

        @Test
        void isAnyOf_whenOneGroupIsNamed_shouldSayWhyWithTheGroup() {
            var context = consumerFrom("US");

            assertThat(function.evaluate(Operator.IS_ANY_OF, "EU_EEA", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("jurisdiction: consumer country US is not in EU_EEA");
        }

        @Test
        void isNoneOf_shouldDenyTheListedAndPermitTheOthers() {
            assertThat(function.evaluate(Operator.IS_NONE_OF, List.of("EU_EEA"), PERMISSION, consumerFrom("FR"))).isFalse();
            assertThat(function.evaluate(Operator.IS_NONE_OF, List.of("EU_EEA"), PERMISSION, consumerFrom("JP"))).isTrue();
        }

        @Test
        void eqAndNeq_shouldCompareWithOneCountryOrGroup() {
            assertThat(function.evaluate(Operator.EQ, "JP", PERMISSION, consumerFrom("JP"))).isTrue();
            assertThat(function.evaluate(Operator.EQ, "APPI_ADEQUATE", PERMISSION, consumerFrom("JP"))).isFalse();
            assertThat(function.evaluate(Operator.NEQ, "JP", PERMISSION, consumerFrom("SG"))).isTrue();
        }

        @Test
        void evaluate_whenTheCountryIsNotEstablished_shouldDenyEvenForIsNoneOf() {
            var context = consumerFrom(null);

            assertThat(function.evaluate(Operator.IS_NONE_OF, List.of("EU_EEA"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString().contains("country of registration of 'consumer' is not established");
        }
    }

    @Nested
    class Validate {

        @Test
        void validate_whenCountriesAndConfiguredGroups_shouldAccept() {
            assertThat(function.validate(Operator.IS_ANY_OF, List.of("JP", "SG", "EU_EEA"), PERMISSION).succeeded()).isTrue();
        }

        @Test
        void validate_whenAValueIsNeitherACountryNorAGroup_shouldRejectNamingIt() {
            assertThat(function.validate(Operator.IS_ANY_OF, List.of("JP", "ASEAN"), PERMISSION).getFailureDetail())
                    .contains("jurisdiction: 'ASEAN' is neither an ISO 3166-1 alpha-2 country code nor a configured group [APPI_ADEQUATE, EU_EEA]");
            assertThat(function.validate(Operator.EQ, "Japan", PERMISSION).failed()).isTrue();
        }

        @Test
        void validate_whenEqGetsAList_shouldReject() {
            assertThat(function.validate(Operator.EQ, List.of("JP", "SG"), PERMISSION).getFailureDetail()).contains("takes one country or group");
        }

        @Test
        void validate_whenOperatorIsAnOrdering_shouldReject() {
            assertThat(function.validate(Operator.LEQ, "JP", PERMISSION).getFailureDetail()).contains("operator 'lteq' is not allowed");
        }
    }

    @Nested
    class Groups {

        @Test
        void of_whenAMemberIsNotACountryCode_shouldFailNamingIt() {
            assertThat(JurisdictionGroups.of(Map.of("EU_EEA", "DE, Frankreich")).getFailureDetail())
                    .isEqualTo("group 'EU_EEA': 'Frankreich' is not an ISO 3166-1 alpha-2 country code");
        }

        @Test
        void of_whenTheNameCouldBeMistakenForACountry_shouldFail() {
            assertThat(JurisdictionGroups.of(Map.of("EU", "DE")).getFailureDetail()).contains("group name 'EU'");
        }

        @Test
        void of_whenEmpty_shouldFail() {
            assertThat(JurisdictionGroups.of(Map.of("NOBODY", " , ")).getFailureDetail()).contains("has no countries");
        }
    }
}
