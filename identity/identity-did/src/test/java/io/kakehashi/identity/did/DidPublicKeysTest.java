package io.kakehashi.identity.did;

import dev.failsafe.RetryPolicy;
import io.kakehashi.testfixtures.MapVault;
import okhttp3.OkHttpClient;
import org.eclipse.edc.http.client.EdcHttpClientImpl;
import org.eclipse.edc.iam.did.resolution.DidResolverRegistryImpl;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DidPublicKeysTest {

    private DidDocumentServer server;
    private DidPublicKeys keys;
    private DidKeyRing ring;
    private String did;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        var http = new EdcHttpClientImpl(new OkHttpClient(), RetryPolicy.<okhttp3.Response>builder().withMaxRetries(0).build(), new ConsoleMonitor());
        var resolver = new WebDidDocumentResolver(http, true, DidTestFixtures.typeManagerMapper());
        var registry = new DidResolverRegistryImpl(Clock.systemUTC(), Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        keys = new DidPublicKeys(registry, resolver, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofMinutes(5));
        ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(Instant.now());
        did = server.did("alice");
        publish();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void find_whenKeyPublished_shouldReturnIt() {
        var key = keys.find(did, did + "#" + ring.activeKey().getKeyID());

        assertThat(key.succeeded()).isTrue();
        assertThat(key.getContent().toPublicJWK()).isEqualTo(ring.activeKey().toPublicJWK());
        assertThat(keys.find(did, "#" + ring.activeKey().getKeyID()).succeeded()).isTrue();
    }

    @Test
    void find_whenDocumentCached_shouldNotFetchAgain() {
        keys.find(did, did + "#" + ring.activeKey().getKeyID());
        var before = server.requests();

        keys.find(did, did + "#" + ring.activeKey().getKeyID());

        assertThat(server.requests()).isEqualTo(before);
    }

    @Test
    void find_whenPeerRotatedAfterCaching_shouldRefetchOnce() {
        keys.find(did, did + "#" + ring.activeKey().getKeyID());
        var fresh = ring.rotate(Instant.now(), Duration.ofHours(1)).getContent();
        publish();

        assertThat(keys.find(did, did + "#" + fresh.getKeyID()).succeeded()).isTrue();
    }

    @Test
    void find_whenKeyNotInDocument_shouldNameTheCheck() {
        var other = DidKeyRing.generate().getContent();

        assertThat(keys.find(did, did + "#" + other.getKeyID()).getFailureDetail())
                .contains("has no verification method");
    }

    @Test
    void find_whenDidUnresolvable_shouldNameTheCheck() {
        assertThat(keys.find(server.did("nobody"), null).getFailureDetail()).contains("cannot be resolved").contains("404");
    }

    @Test
    void find_whenDocumentIsForAnotherDid_shouldFail() {
        server.put("/mallory/did.json", OwnDid.document(did, ring.publishedKeys(Instant.now()), null));

        assertThat(keys.find(server.did("mallory"), null).getFailureDetail()).contains("cannot be resolved").contains("is for");
    }

    @Test
    void serviceEndpoint_shouldReturnTheCredentialService() {
        assertThat(keys.serviceEndpoint(did, OwnDid.CREDENTIAL_SERVICE_TYPE).getContent()).isEqualTo("http://127.0.0.1:1/cs");
        assertThat(keys.serviceEndpoint(did, "Other").failed()).isTrue();
    }

    @Test
    void resolve_whenNotADid_shouldFail() {
        assertThat(keys.resolve("alice").failed()).isTrue();
        assertThat(keys.find("did:example:123", null).failed()).isTrue();
    }

    private void publish() {
        server.put("/alice/did.json", OwnDid.document(did, ring.publishedKeys(Instant.now()), "http://127.0.0.1:1/cs"));
    }
}
