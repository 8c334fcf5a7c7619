package io.kakehashi.identity.dcp;

import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcpHolderExtensionTest {

    @Test
    void secureTokenService_whenNoClientConfigured_shouldBeOff() {
        assertThat(DcpHolderExtension.secureTokenService(null, "alias", new MapVault(), null)).isNull();
        assertThat(DcpHolderExtension.secureTokenService(" ", "alias", new MapVault(), null)).isNull();
    }

    @Test
    void secureTokenService_whenClientSecretMissingFromTheVault_shouldFailNamingTheKeys() {
        assertThatThrownBy(() -> DcpHolderExtension.secureTokenService("dcp-tck", "sts-secret", new MapVault(), null))
                .isInstanceOf(EdcException.class)
                .hasMessageContaining("kakehashi.identity.sts.client-id")
                .hasMessageContaining("kakehashi.identity.sts.client-secret-alias")
                .hasMessageContaining("sts-secret");
    }

    @Test
    void secureTokenService_whenClientSecretInTheVault_shouldBeOn() {
        var vault = new MapVault();
        vault.storeSecret("sts-secret", "s3cret-value");

        assertThat(DcpHolderExtension.secureTokenService("dcp-tck", "sts-secret", vault, null)).isNotNull();
    }
}
