package io.kakehashi.identity.keys;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.testfixtures.MapVault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VaultKeyPairsTest {

    private final MapVault vault = new MapVault();
    private final VaultKeyPairs keys = new VaultKeyPairs(vault);

    @Test
    void ensure_whenAbsent_shouldGenerateAP256KeyAndStoreIt() throws Exception {
        var key = keys.ensure("identity").getContent();

        assertThat(key.isPrivate()).isTrue();
        assertThat(key.getCurve().getName()).isEqualTo("P-256");
        assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
        assertThat(ECKey.parse(vault.secrets.get("identity"))).isEqualTo(key);
    }

    @Test
    void ensure_whenPresent_shouldReturnTheSameKey() {
        var first = keys.ensure("identity").getContent();

        assertThat(new VaultKeyPairs(vault).ensure("identity").getContent()).isEqualTo(first);
    }

    @Test
    void ensure_whenTheVaultHoldsSomethingElse_shouldFailAndKeepIt() {
        vault.secrets.put("identity", "not a key");

        var result = keys.ensure("identity");

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("identity");
        assertThat(vault.secrets.get("identity")).isEqualTo("not a key");
    }

    @Test
    void ensure_whenTheVaultHoldsOnlyAPublicKey_shouldFail() {
        vault.secrets.put("identity", keys.ensure("other").getContent().toPublicJWK().toJSONString());

        assertThat(keys.ensure("identity").failed()).isTrue();
    }

    @Test
    void ensurePublic_shouldStoreOnlyThePublicHalf() throws Exception {
        var key = keys.ensure("signer").getContent();

        keys.ensurePublic("verifier", key);

        var stored = ECKey.parse(vault.secrets.get("verifier"));
        assertThat(stored.isPrivate()).isFalse();
        assertThat(stored).isEqualTo(key.toPublicJWK());
    }
}
