package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.holder.CredentialOfferController;
import io.kakehashi.identity.dcp.holder.CredentialStorageController;
import io.kakehashi.identity.dcp.holder.CredentialStorageService;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationQueryController;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.SecureTokenController;
import io.kakehashi.identity.dcp.holder.SecureTokenService;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.identity.dcp.Vc11TestFixtures.credentialMessage;
import static io.kakehashi.identity.dcp.Vc11TestFixtures.vc11;
import static org.assertj.core.api.Assertions.assertThat;

/** What the holder's HTTP endpoints answer: a bare 401 to the unauthenticated, a 4xx with its reason to the authenticated. */
class HolderEndpointsTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Participant alice;
    private Participant bob;
    private PresentationQueryController presentations;
    private CredentialStorageController credentials;
    private CredentialOfferController offers;
    private SecureTokenController sts;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        var idTokens = new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10));
        var store = new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor);
        presentations = new PresentationQueryController(new PresentationService(alice.did, store, alice.tokens, idTokens, alice.seenTokens, Clock.systemUTC()), alice.monitor);
        var storage = new CredentialStorageService(alice.did, idTokens, trusted, keys, store, alice.seenTokens);
        credentials = new CredentialStorageController(storage, alice.monitor);
        offers = new CredentialOfferController(storage, alice.monitor);
        sts = new SecureTokenController(new SecureTokenService(alice.tokens, "alice-client", "s3cret-value"), alice.monitor);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void presentationQuery_whenUnauthenticated_shouldBeABare401() {
        var response = presentations.query("Bearer not-a-jwt", query(Dcp.scope(Credentials.MEMBERSHIP)));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.hasEntity()).isFalse();
        assertThat(alice.monitor.warnings).anyMatch(w -> w.contains("Refused a presentation query") && w.contains("not a signed JWT"));
    }

    @Test
    void presentationQuery_whenAuthenticatedButMalformedOrBeyondItsGrant_shouldSayWhy() {
        var access = alice.tokens.accessToken(bob.did.id(), Dcp.scopes(List.of(Credentials.MEMBERSHIP))).getContent();

        var noScope = presentations.query("Bearer " + bob.tokens.idToken(alice.did.id(), access).getContent(), query());
        var beyond = presentations.query("Bearer " + bob.tokens.idToken(alice.did.id(), access).getContent(), query(Dcp.scope(Credentials.CERTIFICATION)));

        assertThat(noScope.getStatus()).isEqualTo(400);
        assertThat(error(noScope)).contains("names no scope");
        assertThat(beyond.getStatus()).isEqualTo(403);
        assertThat(error(beyond)).contains("does not grant");
    }

    @Test
    void credentials_shouldBe200_401Bare_or400WithTheReason() {
        var good = credentialMessage("ISSUED", List.of(List.of(Credentials.MEMBERSHIP, "VC1_0_JWT", vc11(japan, Credentials.MEMBERSHIP, Map.of("id", alice.did.id())))));

        assertThat(credentials.credentials(issuerToken(), good).getStatus()).isEqualTo(200);
        var unauthenticated = credentials.credentials(null, good);
        assertThat(unauthenticated.getStatus()).isEqualTo(401);
        assertThat(unauthenticated.hasEntity()).isFalse();
        var invalid = credentials.credentials(issuerToken(), credentialMessage("INVALID_STATUS", List.of()));
        assertThat(invalid.getStatus()).isEqualTo(400);
        assertThat(error(invalid)).contains("neither ISSUED nor REJECTED");
    }

    @Test
    void offers_shouldBe200_or401() {
        var offer = Map.<String, Object>of("@context", List.of(Dcp.DCP_CONTEXT), "type", "CredentialOfferMessage", "issuer", japan.did.id(),
                "credentials", List.of(Map.of("id", "offer-1")));

        assertThat(offers.offers(issuerToken(), offer).getStatus()).isEqualTo(200);
        assertThat(offers.offers("Basic abc", offer).getStatus()).isEqualTo(401);
    }

    @Test
    void stsToken_shouldAnswerOAuthErrorCodes() {
        var ok = sts.token("client_credentials", "alice-client", "s3cret-value", bob.did.id(), Dcp.scope(Credentials.MEMBERSHIP));
        var badClient = sts.token("client_credentials", "alice-client", "wrong", bob.did.id(), Dcp.scope(Credentials.MEMBERSHIP));
        var badScope = sts.token("client_credentials", "alice-client", "s3cret-value", bob.did.id(), "openid");

        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(badClient.getStatus()).isEqualTo(401);
        assertThat(error(badClient)).isEqualTo("invalid_client");
        assertThat(badScope.getStatus()).isEqualTo(400);
        assertThat(error(badScope)).isEqualTo("invalid_scope");
    }

    private static String error(jakarta.ws.rs.core.Response response) {
        return String.valueOf(((Map<?, ?>) response.getEntity()).get("error"));
    }

    private String issuerToken() {
        return "Bearer " + new SelfIssuedTokens(japan.did, Clock.systemUTC(), Duration.ofMinutes(5)).idToken(alice.did.id(), null).getContent();
    }

    private static Map<String, Object> query(String... scopes) {
        return Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", List.of(scopes));
    }
}
