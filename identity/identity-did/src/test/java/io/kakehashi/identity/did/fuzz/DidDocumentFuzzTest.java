package io.kakehashi.identity.did.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import io.kakehashi.identity.did.WebDidDocumentResolver;
import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.iam.did.resolution.DidResolverRegistryImpl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's DID and DID document as this connector reads them: {@link WebDid#parse}, the did:web resolver's parsing of
 * the fetched document (the HTTP answer is canned, so no socket is involved) and {@link DidPublicKeys}' key and service
 * look-ups. Each answers a failure value for anything malformed and never throws.
 * <p>
 * An input is UTF-8 text: the DID on the first line, the key id a token would name on the second (empty: none), the
 * document body after. Regression inputs: {@code DidDocumentFuzzTestInputs/} beside this class's package in
 * src/test/resources. Fuzz with {@code JAZZER_FUZZ=1} (docs/security.md).
 */
@Tag("security")
class DidDocumentFuzzTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @FuzzTest(maxDuration = "5m")
    void resolveAndFindKey(byte[] input) {
        var parts = new String(input, StandardCharsets.UTF_8).split("\n", 3);
        var did = parts[0];
        var keyId = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null;
        var body = parts.length > 2 ? parts[2] : "";

        WebDid.parse(did);
        var http = new CannedHttpClient();
        http.answer(200, body.getBytes(StandardCharsets.UTF_8));
        var resolver = new WebDidDocumentResolver(http, true, DidTestFixtures.typeManagerMapper());

        var document = resolver.resolve(did);
        if (document.succeeded()) {
            assertThat(document.getContent().getId()).isEqualTo(did);
        }

        var registry = new DidResolverRegistryImpl(CLOCK, Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        var keys = new DidPublicKeys(registry, resolver, CLOCK, Duration.ofSeconds(10), Duration.ofMinutes(5));
        var key = keys.find(did, keyId);
        if (key.succeeded()) {
            // only a public P-256 key is ever handed to a signature check
            assertThat(key.getContent().isPrivate()).isFalse();
        }
        keys.serviceEndpoint(did, OwnDid.CREDENTIAL_SERVICE_TYPE);
    }

    @Test
    void resolveAndFindKey_whenDocumentIsValid_shouldFindItsKey() {
        // the fuzz target is not vacuous: a well-formed document gets through every step
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(CLOCK.instant());
        var did = "did:web:127.0.0.1%3A8080:alice";
        var document = OwnDid.document(did, List.of(ring.activeKey()), "http://127.0.0.1:8080/cs");
        var http = new CannedHttpClient();
        http.answer(200, json(document).getBytes(StandardCharsets.UTF_8));
        var resolver = new WebDidDocumentResolver(http, true, DidTestFixtures.typeManagerMapper());
        var registry = new DidResolverRegistryImpl(CLOCK, Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        var keys = new DidPublicKeys(registry, resolver, CLOCK, Duration.ofSeconds(10), Duration.ofMinutes(5));

        assertThat(keys.find(did, "#" + ring.activeKey().getKeyID()).succeeded()).isTrue();
        assertThat(keys.serviceEndpoint(did, OwnDid.CREDENTIAL_SERVICE_TYPE).getContent()).isEqualTo("http://127.0.0.1:8080/cs");
    }

    private static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
