package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.dcp.SettableClock;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresentationCacheTest {

    private static final List<String> MEMBERSHIP = List.of("org.eclipse.dspace.dcp.vc.type:MembershipCredential:read");
    private static final List<String> LEGAL = List.of("org.eclipse.dspace.dcp.vc.type:LegalEntityCredential:read");

    private static final String TOKEN = "access-token-1";

    private final SettableClock clock = new SettableClock();
    private final PresentationCache cache = new PresentationCache(Duration.ofMinutes(1), 3, clock);

    @Test
    void get_forOtherScopes_shouldBeASeparateEntry() {
        cache.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), Instant.MAX);

        assertThat(cache.get("did:web:a", MEMBERSHIP, TOKEN)).isPresent();
        assertThat(cache.get("did:web:a", LEGAL, TOKEN)).isEmpty();
        assertThat(cache.get("did:web:b", MEMBERSHIP, TOKEN)).isEmpty();
    }

    @Test
    void get_forAnotherAccessToken_shouldBeASeparateEntry() {
        cache.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), Instant.MAX);

        assertThat(cache.get("did:web:a", MEMBERSHIP, "access-token-2")).as("a new token is asked with again").isEmpty();
        assertThat(cache.get("did:web:a", MEMBERSHIP, TOKEN)).isPresent();
    }

    @Test
    void get_afterTheEarlierOfMaxAgeAndReusableUntil_shouldBeEmpty() {
        cache.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), Instant.MAX);
        cache.put("did:web:b", MEMBERSHIP, TOKEN, claims("did:web:b"), clock.instant().plusSeconds(10));

        clock.advance(Duration.ofSeconds(11));
        assertThat(cache.get("did:web:a", MEMBERSHIP, TOKEN)).isPresent();
        assertThat(cache.get("did:web:b", MEMBERSHIP, TOKEN)).as("bounded by its credentials or status lists").isEmpty();
        clock.advance(Duration.ofSeconds(50));
        assertThat(cache.get("did:web:a", MEMBERSHIP, TOKEN)).as("bounded by the setting").isEmpty();
    }

    @Test
    void put_whenReusableUntilHasPassed_shouldKeepNothing() {
        cache.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), clock.instant());

        assertThat(cache.size()).isZero();
    }

    @Test
    void put_beyondMaxEntries_shouldDropTheLeastRecentlyUsed() {
        cache.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), Instant.MAX);
        cache.put("did:web:b", MEMBERSHIP, TOKEN, claims("did:web:b"), Instant.MAX);
        cache.put("did:web:c", MEMBERSHIP, TOKEN, claims("did:web:c"), Instant.MAX);
        cache.get("did:web:a", MEMBERSHIP, TOKEN);

        cache.put("did:web:d", MEMBERSHIP, TOKEN, claims("did:web:d"), Instant.MAX);

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("did:web:b", MEMBERSHIP, TOKEN)).isEmpty();
        assertThat(cache.get("did:web:a", MEMBERSHIP, TOKEN)).isPresent();
        assertThat(cache.get("did:web:d", MEMBERSHIP, TOKEN)).isPresent();
    }

    @Test
    void put_whenDisabled_shouldKeepNothing() {
        var disabled = new PresentationCache(Duration.ZERO, 3, clock);

        disabled.put("did:web:a", MEMBERSHIP, TOKEN, claims("did:web:a"), Instant.MAX);

        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.get("did:web:a", MEMBERSHIP, TOKEN)).isEmpty();
    }

    @Test
    void constructor_whenNegativeOrEmpty_shouldRefuse() {
        assertThatThrownBy(() -> new PresentationCache(Duration.ofSeconds(-1), 3, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PresentationCache(Duration.ofSeconds(1), 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    private static VerifiedClaims claims(String did) {
        return VerifiedClaims.of(did, Map.of());
    }
}
