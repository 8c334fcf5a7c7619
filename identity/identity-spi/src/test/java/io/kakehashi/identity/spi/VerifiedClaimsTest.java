package io.kakehashi.identity.spi;

import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    @Test
    void of_whenMembershipsAndCertificationsAreClaimed_shouldReadThemTyped() {
        var claims = VerifiedClaims.of("ai-vendor", Map.of(
                VerifiedClaims.MEMBERSHIPS, List.of("connected-industries", "", 7),
                VerifiedClaims.CERTIFICATIONS, List.of(
                        Map.of("name", "ISO27001", "validFrom", "2026-01-01T00:00:00Z", "validUntil", "2027-01-01T00:00:00Z"),
                        Map.of("name", "broken", "validFrom", "yesterday"),
                        "not a map")));

        assertThat(claims.memberships()).containsExactly("connected-industries");
        assertThat(claims.certifications()).containsExactly(new Certification("ISO27001", Instant.parse("2026-01-01T00:00:00Z"),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z"))));
    }

    @Test
    void holdsValidCertification_shouldHonourTheValidityDates() {
        var claims = new VerifiedClaims("ai-vendor", Optional.empty(), Optional.empty(), Optional.empty(), Set.of(),
                List.of(new Certification("ISO27001", Instant.parse("2026-01-01T00:00:00Z"), Optional.of(Instant.parse("2027-01-01T00:00:00Z")))));

        assertThat(claims.holdsValidCertification("ISO27001", Instant.parse("2026-06-01T00:00:00Z"))).isTrue();
        assertThat(claims.holdsValidCertification("ISO27001", Instant.parse("2025-12-31T23:59:59Z"))).isFalse();
        assertThat(claims.holdsValidCertification("ISO27001", Instant.parse("2027-01-01T00:00:00Z"))).isFalse();
        assertThat(claims.holdsValidCertification("ISMS", Instant.parse("2026-06-01T00:00:00Z"))).isFalse();
    }

    @Test
    void toClaims_shouldRoundTripThroughTheClaimMap() {
        var claims = new VerifiedClaims("ai-vendor", Optional.of("DE"), Optional.of("Werkzeug GmbH"),
                RegistryIdentifier.parse("JCN:1180301018771").asOptional(), Set.of("catena", "connected-industries"),
                List.of(new Certification("ISMS", Instant.parse("2026-01-01T00:00:00Z"), Optional.empty())));

        assertThat(VerifiedClaims.of("ai-vendor", claims.toClaims())).isEqualTo(claims);
    }
}
