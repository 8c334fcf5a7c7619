package io.kakehashi.identity.did;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.testfixtures.MapVault;
import okhttp3.OkHttpClient;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.resolution.DidResolverRegistryImpl;
import org.eclipse.edc.json.JacksonTypeManager;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Test data for DIDs: an HTTP client without retries, resolvers, and DIDs published on a loopback server. */
public final class DidTestFixtures {

    private DidTestFixtures() {
    }

    /** The mapper a runtime's {@code TypeManager} hands out (EDC's {@code JacksonTypeManager}, as a runtime has it). */
    public static ObjectMapper typeManagerMapper() {
        return new JacksonTypeManager().getMapper();
    }

    public static EdcHttpClient httpClient() {
        return FailFastHttpClient.create(new OkHttpClient(), Duration.ofSeconds(10), new ConsoleMonitor());
    }

    /** Public-key lookup over did:web on loopback (http allowed), with EDC's cached registry. */
    public static DidPublicKeys publicKeys(Clock clock) {
        var resolver = new WebDidDocumentResolver(httpClient(), true, typeManagerMapper());
        var registry = new DidResolverRegistryImpl(clock, Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        return new DidPublicKeys(registry, resolver, clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** A DID with a fresh key ring, published on {@code server} under {@code name}. */
    public static OwnDid publish(DidDocumentServer server, String name, String credentialServiceUrl) {
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(Instant.now());
        var did = new OwnDid(WebDid.parse(server.did(name)).getContent(), ring, credentialServiceUrl);
        republish(server, did);
        return did;
    }

    /** Publishes the DID's current document again (after a rotation). */
    public static void republish(DidDocumentServer server, OwnDid did) {
        server.put("/" + did.webDid().path() + "/did.json", did.document(Instant.now()));
    }
}
