package io.kakehashi.policy.constraints.onward;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import jakarta.json.Json;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OnwardTransferTest {

    private static final JurisdictionGroups GROUPS = JurisdictionGroups.of(Map.of("EU_EEA", "DE,FR,NL")).getContent();
    private static final String PARTNER = "did:web:127.0.0.1%3A8001:partner";

    private static VerifiedClaims recipient(String id, String country, Set<String> memberships) {
        return new VerifiedClaims(id, Optional.ofNullable(country), Optional.empty(), Optional.empty(), memberships, List.of());
    }

    private static OnwardTransfer read(Operator operator, Object value) {
        return OnwardTransfer.parse(GROUPS, operator, value).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
    }

    @Nested
    class Refusal {

        @Test
        void refusal_whenNone_shouldRefuseEveryoneAndSayWhy() {
            var none = read(Operator.EQ, "none");

            assertThat(none.refusal(recipient(PARTNER, "JP", Set.of("ouranos")))).contains("the data may not be passed on to anyone");
        }

        @Test
        void refusal_whenTheRecipientIsNamed_shouldAllowItAndRefuseOthersNamingWhoMay() {
            var onlyPartner = read(Operator.IS_ANY_OF, List.of(PARTNER));

            assertThat(onlyPartner.refusal(recipient(PARTNER, null, Set.of()))).isEmpty();
            assertThat(onlyPartner.refusal(recipient("did:web:other", "JP", Set.of("ouranos"))))
                    .contains("'did:web:other' is not among the recipients it may be passed on to (participants " + PARTNER + ")");
        }

        @Test
        void refusal_whenMembersOrJurisdictionsMay_shouldDecideOnTheRecipientsVerifiedClaims() {
            var rule = read(Operator.IS_ANY_OF, List.of("membership:ouranos", "jurisdiction:EU_EEA"));

            assertThat(rule.refusal(recipient("did:web:member", "US", Set.of("ouranos")))).isEmpty();
            assertThat(rule.refusal(recipient("did:web:german", "DE", Set.of()))).isEmpty();
            assertThat(rule.refusal(recipient("did:web:unknown-country", null, Set.of("catena-x"))))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("members of ouranos; recipients registered in EU_EEA"));
            assertThat(rule.refusal(recipient("did:web:american", "US", Set.of()))).isPresent();
        }
    }

    @Nested
    class Parse {

        @Test
        void parse_whenJsonLdValues_shouldReadThem() {
            var values = Json.createArrayBuilder().add(PARTNER).add(Json.createObjectBuilder().add("@value", "jurisdiction:JP")).build();

            var rule = read(Operator.IS_ANY_OF, values);

            assertThat(rule.participants()).containsExactly(PARTNER);
            assertThat(rule.countries()).containsExactly("JP");
        }

        @Test
        void parse_whenMalformed_shouldSayWhatIsWrong() {
            assertThat(failure(Operator.EQ, "anyone")).isEqualTo("onwardTransfer: 'anyone' is not 'none', a DID, 'membership:<dataspace>' or 'jurisdiction:<country or group>'");
            assertThat(failure(Operator.IS_ANY_OF, List.of("none", PARTNER))).contains("'none' cannot be combined");
            assertThat(failure(Operator.EQ, List.of(PARTNER, "did:web:b"))).contains("'eq' takes one value");
            assertThat(failure(Operator.IS_ANY_OF, List.of("jurisdiction:ASEAN"))).contains("'ASEAN' is neither an ISO 3166-1 alpha-2 country code nor a configured group [EU_EEA]");
            assertThat(failure(Operator.IS_ANY_OF, List.of("did:web:"))).contains("'did:web:' is not a well-formed DID");
            assertThat(failure(Operator.IS_ANY_OF, List.of("membership:"))).contains("does not name a dataspace");
            assertThat(failure(Operator.IS_ANY_OF, List.of())).contains("is not 'none', a DID");
        }

        @Test
        void rule_whenTheOperatorIsNotAllowed_shouldSaySo() {
            var result = OnwardTransfer.rule(GROUPS).validate(Operator.NEQ, "none");

            assertThat(result.getFailureDetail()).isEqualTo("onwardTransfer: operator 'neq' is not allowed (eq, isAnyOf)");
        }

        private String failure(Operator operator, Object value) {
            var result = OnwardTransfer.parse(GROUPS, operator, value);
            assertThat(result.failed()).as("%s %s", operator, value).isTrue();
            return result.getFailureDetail();
        }
    }

    @Nested
    class AtTheProvider {

        private final OnwardTransferConstraintFunction<ContractNegotiationPolicyContext> function = new OnwardTransferConstraintFunction<>(OnwardTransfer.rule(GROUPS));

        @Test
        void evaluate_whenWellFormed_shouldAdmitTheConsumerItBinds() {
            var context = new ContractNegotiationPolicyContext(new ParticipantAgent("did:web:consumer", Map.of(), Map.of()));

            assertThat(function.evaluate(Operator.EQ, "none", Permission.Builder.newInstance().build(), context)).isTrue();
            assertThat(context.getProblems()).isEmpty();
        }

        @Test
        void evaluate_whenMalformed_shouldDenyWithTheReason() {
            var context = new ContractNegotiationPolicyContext(new ParticipantAgent("did:web:consumer", Map.of(), Map.of()));

            assertThat(function.evaluate(Operator.EQ, "jurisdiction:XX", Permission.Builder.newInstance().build(), context)).isFalse();
            assertThat(context.getProblems()).singleElement().asString().contains("'XX' is neither");
        }
    }
}
