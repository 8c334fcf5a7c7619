package io.kakehashi.identity.dcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.verifier.DcpIdentityService;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.dcp.verifier.PresentationClient;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.token.InMemoryJtiValidationStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connector's identity as the DCP module wires it — holder and verifier — with its DID document and credential
 * service on the loopback test server.
 */
public class Participant {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final String name;
    public final OwnDid did;
    public final Path credentials;
    public final InMemoryJtiValidationStore seenTokens = new InMemoryJtiValidationStore();
    public final RecordingMonitor monitor = new RecordingMonitor();
    public final SelfIssuedTokens tokens;
    public final DcpIdentityService identity;
    private final DidDocumentServer server;

    /** how many presentation queries this participant's credential service answered */
    public final AtomicInteger presentationQueries = new AtomicInteger();

    public Participant(DidDocumentServer server, String name, Path work, TrustedIssuers trusted, Clock clock) {
        this(server, name, work, trusted, clock, Duration.ZERO, PresentationCache.disabled());
    }

    /**
     * A participant whose verifier keeps status lists for {@code statusListCache} and presentations in {@code presentationCache}.
     */
    public Participant(DidDocumentServer server, String name, Path work, TrustedIssuers trusted, Clock clock, Duration statusListCache,
                       PresentationCache presentationCache) {
        this.server = server;
        this.name = name;
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(clock.instant());
        var webDid = WebDid.parse(server.did(name)).getContent();
        this.did = new OwnDid(webDid, ring, webDid.baseUrl(true).toString());
        this.credentials = work.resolve(name + "-credentials");
        try {
            Files.createDirectories(credentials);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        publish();
        var keys = DidTestFixtures.publicKeys(clock);
        var skew = Duration.ofSeconds(30);
        tokens = new SelfIssuedTokens(did, clock, Duration.ofMinutes(5));
        var idTokens = new IdTokenVerifier(keys, seenTokens, clock, skew, Duration.ofMinutes(10));
        var store = new DirectoryCredentialStore(credentials, did.id(), monitor);
        var holder = new PresentationService(did, store, tokens, idTokens, seenTokens, clock);
        server.onPost("/" + name + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> {
            presentationQueries.incrementAndGet();
            try {
                var message = MAPPER.readValue(body, new TypeReference<Map<String, Object>>() {
                });
                var answer = holder.query(authorization, message, refused -> monitor.warning("Refused a presentation query: " + refused.reason()));
                return answer.succeeded() ? new DidDocumentServer.Answer(200, MAPPER.writeValueAsString(answer.getContent())) : new DidDocumentServer.Answer(401, null);
            } catch (IOException e) {
                return new DidDocumentServer.Answer(400, null);
            }
        });
        var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, clock, statusListCache);
        var credentialVerifier = new CredentialVerifier(keys, trusted, statusLists, clock, skew);
        identity = new DcpIdentityService(did, tokens, new ReusedAccessTokens(tokens, store::fingerprint, clock, 100), idTokens, keys,
                new PresentationClient(DidTestFixtures.httpClient(), true, DidTestFixtures.typeManagerMapper()),
                new PresentationVerifier(keys, credentialVerifier, clock, skew), seenTokens,
                List.of("MembershipCredential", "LegalEntityCredential", "CertificationCredential"), List.of("MembershipCredential"), presentationCache, monitor);
    }

    /** Publishes this participant's current DID document. */
    public void publish() {
        server.put("/" + name + "/did.json", did.document(Instant.now()));
    }

    /** Removes every credential from this participant's credential directory. */
    public void dropCredentials() {
        try (var files = Files.list(credentials)) {
            for (var file : files.toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a credential in this participant's credential directory. */
    public void hold(String fileName, String jwt) {
        try {
            Files.writeString(credentials.resolve(fileName + ".jwt"), jwt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
