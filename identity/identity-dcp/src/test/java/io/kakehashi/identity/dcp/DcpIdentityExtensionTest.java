package io.kakehashi.identity.dcp;

import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcpIdentityExtensionTest {

    @Test
    void secureTokenService_whenNoClientConfigured_shouldBeOff() {
        assertThat(DcpIdentityExtension.secureTokenService(null, "alias", new MapVault(), null)).isNull();
        assertThat(DcpIdentityExtension.secureTokenService(" ", "alias", new MapVault(), null)).isNull();
    }

    @Test
    void secureTokenService_whenClientSecretMissingFromTheVault_shouldFailNamingTheKeys() {
        assertThatThrownBy(() -> DcpIdentityExtension.secureTokenService("dcp-tck", "sts-secret", new MapVault(), null))
                .isInstanceOf(EdcException.class)
                .hasMessageContaining("kakehashi.identity.sts.client-id")
                .hasMessageContaining("kakehashi.identity.sts.client-secret-alias")
                .hasMessageContaining("sts-secret");
    }

    @Test
    void secureTokenService_whenClientSecretInTheVault_shouldBeOn() {
        var vault = new MapVault();
        vault.storeSecret("sts-secret", "s3cret-value");

        assertThat(DcpIdentityExtension.secureTokenService("dcp-tck", "sts-secret", vault, null)).isNotNull();
    }

    @Test
    void trustedIssuersOf_whenTwoAnchors_shouldReadBoth() {
        var config = ConfigFactory.fromMap(Map.of(
                "kakehashi.identity.trusted-issuers.jp.id", "did:web:authority.example.jp",
                "kakehashi.identity.trusted-issuers.eu.id", "did:web:authority.example.eu",
                "kakehashi.identity.trusted-issuers.eu.types", "MembershipCredential"));

        var issuers = DcpIdentityExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers"));

        assertThat(issuers.size()).isEqualTo(2);
        assertThat(issuers.check("did:web:authority.example.eu", List.of("VerifiableCredential", "MembershipCredential")).succeeded()).isTrue();
        assertThat(issuers.check("did:web:authority.example.eu", List.of("CertificationCredential")).failed()).isTrue();
        assertThat(issuers.check("did:web:authority.example.jp", List.of("CertificationCredential")).succeeded()).isTrue();
    }

    @Test
    void trustedIssuersOf_whenNone_shouldFailNamingTheKey() {
        var config = ConfigFactory.fromMap(Map.of());

        assertThatThrownBy(() -> DcpIdentityExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers")))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.identity.trusted-issuers.<alias>.id");
    }

    @Test
    void trustedIssuersOf_whenIdIsNotADid_shouldFailNamingTheKey() {
        var config = ConfigFactory.fromMap(Map.of("kakehashi.identity.trusted-issuers.jp.id", "authority.example.jp"));

        assertThatThrownBy(() -> DcpIdentityExtension.trustedIssuersOf(config.getConfig("kakehashi.identity.trusted-issuers")))
                .isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.identity.trusted-issuers.jp.id");
    }

    @Test
    void presentationCache_shouldBeOnByDefaultOffAtZeroAndRefuseNonsenseNamingTheKey() {
        assertThat(DcpIdentityExtension.presentationCache("PT1M", 10, java.time.Clock.systemUTC()).enabled()).isTrue();
        assertThat(DcpIdentityExtension.presentationCache("PT0S", 10, java.time.Clock.systemUTC()).enabled()).isFalse();
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("1m", 10, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache");
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("-PT1M", 10, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache");
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("PT1M", 0, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache.max-entries");
    }

    @Test
    void scope_shouldRoundTripTheCredentialType() {
        assertThat(Dcp.credentialType(Dcp.scope("MembershipCredential"))).contains("MembershipCredential");
        assertThat(Dcp.credentialType("org.eclipse.edc.vc.type:MembershipCredential:write")).isEmpty();
        assertThat(Dcp.credentialType("other:MembershipCredential:read")).isEmpty();
    }
}
