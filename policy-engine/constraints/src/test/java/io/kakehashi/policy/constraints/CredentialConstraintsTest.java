package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.Certification;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Operator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.negotiation;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialConstraintsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    private static VerifiedClaims consumer(Set<String> memberships, List<Certification> certifications) {
        return new VerifiedClaims("ai-vendor", Optional.of("JP"), Optional.empty(), Optional.empty(), memberships, certifications);
    }

    private static Certification iso27001(String from, String until) {
        return new Certification("ISO27001", Instant.parse(from), Optional.ofNullable(until).map(Instant::parse));
    }

    @Nested
    class Membership {

        private final MembershipConstraintFunction<ContractNegotiationPolicyContext> function = new MembershipConstraintFunction<>();

        @Test
        void isAnyOf_whenTheConsumerIsAMemberOfOne_shouldPermit() {
            var context = negotiation(consumer(Set.of("ouranos"), List.of()));

            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("catena-x", "ouranos"), PERMISSION, context)).isTrue();
            assertThat(function.evaluate(Operator.EQ, "ouranos", PERMISSION, context)).isTrue();
        }

        @Test
        void eq_whenTheConsumerIsAMemberOfAnother_shouldDenyAndSayWhy() {
            var context = negotiation(consumer(Set.of("gaia-x"), List.of()));

            assertThat(function.evaluate(Operator.EQ, "ouranos", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("membership: consumer is a member of [gaia-x], not of ouranos");
        }

        @Test
        void evaluate_whenNoMembershipIsVerified_shouldDeny() {
            var context = negotiation(VerifiedClaims.onlyParticipant("ai-vendor"));

            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("ouranos"), PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("membership: 'ai-vendor' has no verified dataspace membership, ouranos required");
        }

        @Test
        void validate_whenNotANameOrAWrongOperator_shouldReject() {
            assertThat(function.validate(Operator.IS_ANY_OF, List.of("ouranos"), PERMISSION).succeeded()).isTrue();
            assertThat(function.validate(Operator.EQ, " ", PERMISSION).getFailureDetail()).isEqualTo("membership: '' is not a dataspace name");
            assertThat(function.validate(Operator.IS_NONE_OF, "ouranos", PERMISSION).getFailureDetail())
                    .isEqualTo("membership: operator 'isNoneOf' is not allowed (eq, isAnyOf)");
            assertThat(function.validate(Operator.EQ, 42L, PERMISSION).failed()).isTrue();
        }
    }

    @Nested
    class CertificationValidNow {

        private final CertificationConstraintFunction<ContractNegotiationPolicyContext> function =
                new CertificationConstraintFunction<>(new PolicyTime(Clock.fixed(NOW, ZoneOffset.UTC)));

        @Test
        void eq_whenTheCertificationIsValidNow_shouldPermit() {
            var context = negotiation(consumer(Set.of(), List.of(iso27001("2025-04-01T00:00:00Z", "2028-03-31T00:00:00Z"))));

            assertThat(function.evaluate(Operator.EQ, "ISO27001", PERMISSION, context)).isTrue();
            assertThat(function.evaluate(Operator.IS_ANY_OF, List.of("ISMS", "ISO27001"), PERMISSION, context)).isTrue();
        }

        @Test
        void eq_whenTheCertificationHasExpired_shouldDenyAndSayWhy() {
            var context = negotiation(consumer(Set.of(), List.of(iso27001("2023-04-01T00:00:00Z", "2026-03-31T00:00:00Z"))));

            assertThat(function.evaluate(Operator.EQ, "ISO27001", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("certification: ISO27001 of 'ai-vendor' is not valid at 2026-11-23T03:00:00Z");
        }

        @Test
        void eq_whenTheCertificationIsNotYetValid_shouldDeny() {
            var context = negotiation(consumer(Set.of(), List.of(iso27001("2027-01-01T00:00:00Z", null))));

            assertThat(function.evaluate(Operator.EQ, "ISO27001", PERMISSION, context)).isFalse();
        }

        @Test
        void eq_whenTheConsumerHoldsNoSuchCertification_shouldDeny() {
            var context = negotiation(consumer(Set.of(), List.of()));

            assertThat(function.evaluate(Operator.EQ, "ISO27001", PERMISSION, context)).isFalse();
            assertThat(context.getProblems()).containsExactly("certification: 'ai-vendor' holds no verified ISO27001 certification");
        }

        @Test
        void evaluate_shouldUseTheTransfersOwnTime() {
            var agent = consumer(Set.of(), List.of(iso27001("2025-04-01T00:00:00Z", "2026-03-31T00:00:00Z")));
            var transfer = new TransferProcessPolicyContext(
                    new ParticipantAgent("ai-vendor", agent.toClaims(), Map.of()),
                    PolicyContextTestFixtures.agreement(Instant.parse("2026-01-01T00:00:00Z")), Instant.parse("2026-02-01T00:00:00Z"));
            var atTransfer = new CertificationConstraintFunction<TransferProcessPolicyContext>(
                    new PolicyTime(Clock.fixed(NOW, ZoneOffset.UTC)));

            assertThat(atTransfer.evaluate(Operator.EQ, "ISO27001", PERMISSION, transfer)).isTrue();
        }
    }
}
