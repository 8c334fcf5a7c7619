package io.kakehashi.identity.did;

import io.kakehashi.testfixtures.MapVault;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DidKeyRingTest {

    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final MapVault vault = new MapVault();

    @Test
    void ensure_whenVaultEmpty_shouldMakeAndKeepOneKey() {
        var first = new DidKeyRing(vault, "ring").ensure(NOW).getContent();
        var again = new DidKeyRing(vault, "ring").ensure(NOW.plusSeconds(60)).getContent();

        assertThat(again).isEqualTo(first);
        assertThat(first.isPrivate()).isTrue();
        assertThat(vault.resolveSecret("ring")).contains(first.getKeyID());
    }

    @Test
    void rotate_shouldPublishBothKeysUntilTheGracePeriodEnds() {
        var ring = new DidKeyRing(vault, "ring");
        var old = ring.ensure(NOW).getContent();

        var fresh = ring.rotate(NOW, Duration.ofHours(1)).getContent();

        assertThat(ring.activeKey()).isEqualTo(fresh);
        assertThat(ring.publishedKeys(NOW.plusSeconds(60))).extracting(k -> k.getKeyID()).containsExactly(fresh.getKeyID(), old.getKeyID());
        assertThat(ring.find(old.getKeyID(), NOW.plusSeconds(60))).isPresent();
        assertThat(ring.publishedKeys(NOW.plus(Duration.ofHours(2)))).extracting(k -> k.getKeyID()).containsExactly(fresh.getKeyID());
        assertThat(ring.find(old.getKeyID(), NOW.plus(Duration.ofHours(2)))).isEmpty();
    }

    @Test
    void heldKey_shouldGiveAReplacedKeyByItsMethodIdUntilItsGracePeriodEnds() {
        var ring = new DidKeyRing(vault, "ring");
        var old = ring.ensure(NOW).getContent();
        var own = new OwnDid(WebDid.parse("did:web:maker.example.jp:identity").getContent(), ring, "https://maker.example.jp/identity");
        var oldMethod = own.methodId(old);
        ring.rotate(NOW, Duration.ofHours(1));

        assertThat(own.heldKey(oldMethod, NOW.plusSeconds(60))).hasValueSatisfying(key -> {
            assertThat(key.isPrivate()).isTrue();
            assertThat(key.getKeyID()).isEqualTo(oldMethod);
            assertThat(key.toPublicJWK().getX()).isEqualTo(old.getX());
        });
        assertThat(own.heldKey(oldMethod, NOW.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(own.heldKey("did:web:someone-else.example#" + old.getKeyID(), NOW.plusSeconds(60))).isEmpty();
        assertThat(own.heldKey(old.getKeyID(), NOW.plusSeconds(60))).as("a bare key id is not a method id").isEmpty();
    }

    @Test
    void rotate_shouldSurviveARestart() {
        var ring = new DidKeyRing(vault, "ring");
        var old = ring.ensure(NOW).getContent();
        var fresh = ring.rotate(NOW, Duration.ofHours(1)).getContent();

        var reloaded = new DidKeyRing(vault, "ring");
        reloaded.ensure(NOW.plusSeconds(1));

        assertThat(reloaded.activeKey()).isEqualTo(fresh);
        assertThat(reloaded.publishedKeys(NOW.plusSeconds(1))).extracting(k -> k.getKeyID()).containsExactly(fresh.getKeyID(), old.getKeyID());
    }

    @Test
    void publishedKeys_shouldHoldNoPrivateHalf() {
        var ring = new DidKeyRing(vault, "ring");
        ring.ensure(NOW);

        assertThat(ring.publishedKeys(NOW)).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    }

    @Test
    void ensure_whenVaultEntryIsNotARing_shouldFail() {
        vault.storeSecret("ring", "{\"kty\":\"oct\"}");

        assertThat(new DidKeyRing(vault, "ring").ensure(NOW).getFailureDetail()).contains("not a Kakehashi DID key ring");
    }

    @Test
    void activeKey_whenNotLoaded_shouldThrow() {
        assertThatThrownBy(() -> new DidKeyRing(vault, "ring").activeKey()).isInstanceOf(IllegalStateException.class);
    }
}
