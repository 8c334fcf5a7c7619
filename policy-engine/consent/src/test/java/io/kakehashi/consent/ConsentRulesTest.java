package io.kakehashi.consent;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.consent.ConsentTestFixtures.CONSUMER;
import static io.kakehashi.consent.ConsentTestFixtures.NOW;
import static io.kakehashi.consent.ConsentTestFixtures.STRANGER;
import static io.kakehashi.consent.ConsentTestFixtures.consent;
import static org.assertj.core.api.Assertions.assertThat;

class ConsentRulesTest {

    private final ConsentRules rules = new ConsentRules(JurisdictionGroups.none());
    private final VerifiedClaims consumer = VerifiedClaims.of(CONSUMER, Map.of(VerifiedClaims.MEMBERSHIPS, List.of("smart-life"),
            VerifiedClaims.COUNTRY_OF_REGISTRATION, "JP"));

    @Nested
    class OneConsent {

        @Test
        void verdict_whenInForceForThePurposeAndConsumer_shouldAdmit() {
            assertThat(rules.verdict(consent("s", CONSUMER, "analytics"), Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.ADMITTED);
        }

        @Test
        void verdict_whenAParentPurposeIsConsented_shouldAdmitItsChild() {
            assertThat(rules.verdict(consent("s", "any", "ai"), Set.of("ai.training"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.ADMITTED);
            assertThat(rules.verdict(consent("s", "any", "ai.training"), Set.of("ai"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.OTHER_PURPOSE);
        }

        @Test
        void verdict_whenOnePurposeOfTheUseIsNotConsented_shouldLeaveOut() {
            assertThat(rules.verdict(consent("s", "any", "analytics"), Set.of("analytics", "ai.training"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.OTHER_PURPOSE);
        }

        @Test
        void verdict_whenExpired_shouldLeaveOut() {
            var expired = new Consent("c", "s", null, List.of("analytics"), "any", NOW.minusSeconds(100), NOW.minusSeconds(1), null);
            assertThat(rules.verdict(expired, Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.EXPIRED);
            assertThat(rules.verdict(expired, Set.of("analytics"), consumer, NOW.minusSeconds(2))).isEqualTo(ConsentRules.Verdict.ADMITTED);
        }

        @Test
        void verdict_whenWithdrawn_shouldLeaveOut() {
            var withdrawn = consent("s", "any", "analytics").withdrawn(NOW.minusSeconds(1));
            assertThat(rules.verdict(withdrawn, Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.WITHDRAWN);
        }

        @Test
        void verdict_whenGrantedLater_shouldLeaveOut() {
            var future = new Consent("c", "s", null, List.of("analytics"), "any", NOW.plusSeconds(60), null, null);
            assertThat(rules.verdict(future, Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.NOT_YET_GRANTED);
        }

        @Test
        void verdict_byRecipientClass_shouldFollowTheConsumersVerifiedClaims() {
            assertThat(rules.verdict(consent("s", "membership:smart-life", "analytics"), Set.of("analytics"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.ADMITTED);
            assertThat(rules.verdict(consent("s", "jurisdiction:JP", "analytics"), Set.of("analytics"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.ADMITTED);
            assertThat(rules.verdict(consent("s", "membership:mobility", "analytics"), Set.of("analytics"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.OTHER_RECIPIENT);
            assertThat(rules.verdict(consent("s", "jurisdiction:DE", "analytics"), Set.of("analytics"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.OTHER_RECIPIENT);
            assertThat(rules.verdict(consent("s", STRANGER, "analytics"), Set.of("analytics"), consumer, NOW))
                    .isEqualTo(ConsentRules.Verdict.OTHER_RECIPIENT);
            // claims not verified: only the DID is known
            assertThat(rules.verdict(consent("s", "membership:smart-life", "analytics"), Set.of("analytics"), VerifiedClaims.onlyParticipant(CONSUMER), NOW))
                    .isEqualTo(ConsentRules.Verdict.OTHER_RECIPIENT);
        }
    }

    @Test
    void verdict_ofSeveralConsents_shouldAdmitWhenOneCoversAndElseGiveTheLatestsReason() {
        var old = consent("s", "any", "analytics").withdrawn(NOW.minusSeconds(10));
        var renewed = consent("s", "any", "analytics");
        assertThat(rules.verdict(List.of(old, renewed), Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.ADMITTED);
        assertThat(rules.verdict(List.of(consent("s", STRANGER, "analytics"), old), Set.of("analytics"), consumer, NOW))
                .isEqualTo(ConsentRules.Verdict.WITHDRAWN);
        assertThat(rules.verdict(List.of(), Set.of("analytics"), consumer, NOW)).isEqualTo(ConsentRules.Verdict.NO_CONSENT);
    }

    @Test
    void validRecipient_shouldNameWhatIsWrong() {
        assertThat(rules.validRecipient("any").succeeded()).isTrue();
        assertThat(rules.validRecipient(CONSUMER).succeeded()).isTrue();
        assertThat(rules.validRecipient("membership:smart-life").succeeded()).isTrue();
        assertThat(rules.validRecipient("none").getFailureDetail()).contains("withdraw");
        assertThat(rules.validRecipient("jurisdiction:XX").getFailureDetail()).startsWith("recipient:").contains("XX");
        assertThat(rules.validRecipient("somebody").getFailureDetail()).startsWith("recipient:");
        assertThat(rules.validRecipient(" ").failed()).isTrue();
    }
}
