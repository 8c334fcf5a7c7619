package io.kakehashi.identity.dcp;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcpTokensExtensionTest {

    @Test
    void trustedIssuersOf_whenTwoAnchors_shouldReadBoth() {
        var config = ConfigFactory.fromMap(Map.of(
                "kakehashi.identity.trusted-issuers.jp.id", "did:web:authority.example.jp",
                "kakehashi.identity.trusted-issuers.eu.id", "did:web:authority.example.eu",
                "kakehashi.identity.trusted-issuers.eu.types", "MembershipCredential"));

        var issuers = DcpTokensExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers"));

        assertThat(issuers.size()).isEqualTo(2);
        assertThat(issuers.check("did:web:authority.example.eu", List.of("VerifiableCredential", "MembershipCredential")).succeeded()).isTrue();
        assertThat(issuers.check("did:web:authority.example.eu", List.of("CertificationCredential")).failed()).isTrue();
        assertThat(issuers.check("did:web:authority.example.jp", List.of("CertificationCredential")).succeeded()).isTrue();
    }

    @Test
    void trustedIssuersOf_whenNone_shouldFailNamingTheKey() {
        var config = ConfigFactory.fromMap(Map.of());

        assertThatThrownBy(() -> DcpTokensExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers")))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.identity.trusted-issuers.<alias>.id");
    }

    @Test
    void trustedIssuersOf_whenIdIsNotADid_shouldFailNamingTheKey() {
        var config = ConfigFactory.fromMap(Map.of("kakehashi.identity.trusted-issuers.jp.id", "authority.example.jp"));

        assertThatThrownBy(() -> DcpTokensExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers")))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.identity.trusted-issuers.jp.id");
    }
}
