package io.kakehashi.identity.spi;

import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedClaimsTest {

    @Test
    void of_whenTheAgentCarriesTheClaims_shouldReadThemTyped() {
        var agent = new ParticipantAgent("ai-vendor", Map.of(VerifiedClaims.COUNTRY_OF_REGISTRATION, "JP", VerifiedClaims.LEGAL_NAME, "株式会社AIベンダー",
                VerifiedClaims.REGISTRY_ID, "JCN:1180301018771"), Map.of());

        var claims = VerifiedClaims.of(agent);

        assertThat(claims.participantId()).isEqualTo("ai-vendor");
        assertThat(claims.countryOfRegistration()).contains("JP");
        assertThat(claims.legalName()).contains("株式会社AIベンダー");
        assertThat(claims.registryId()).map(RegistryIdentifier::toString).contains("JCN:1180301018771");
    }

    @Test
    void of_whenTheRegistryIdFailsItsCheck_shouldLeaveItAbsent() {
        assertThat(VerifiedClaims.of("ai-vendor", Map.of(VerifiedClaims.REGISTRY_ID, "JCN:2180301018771")).registryId()).isEmpty();
    }

    @Test
    void of_whenAClaimIsMissingOrOfAnotherType_shouldLeaveItAbsent() {
        var claims = VerifiedClaims.of("ai-vendor", Map.of(VerifiedClaims.COUNTRY_OF_REGISTRATION, 392));

        assertThat(claims.countryOfRegistration()).isEmpty();
        assertThat(claims.legalName()).isEmpty();
    }
}
