package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.PresentationService.Refusal;
import io.kakehashi.identity.dcp.holder.PresentationService.Refused;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Alice's embedded credential service answering Bob's presentation queries. */
class PresentationServiceTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Participant alice;
    private Participant bob;
    private PresentationService holder;
    private final List<Refused> refusals = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        var japan = new Authority(server, "authority-jp");
        alice = new Participant(server, "alice", work, new TrustedIssuers(List.of()), Clock.systemUTC());
        bob = new Participant(server, "bob", work, new TrustedIssuers(List.of()), Clock.systemUTC());
        alice.hold("membership", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x")));
        alice.hold("isms", japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(alice.did.id(), "ISO27001")));
        alice.hold("bobs", japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(bob.did.id(), "manufacturing-x")));
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        holder = new PresentationService(alice.did, new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor), alice.tokens,
                new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10)), alice.seenTokens, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void query_shouldReturnOnlyTheRequestedScopes() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP), Dcp.scope(Credentials.CERTIFICATION))).getContent();

        var answer = holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()),
                query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add);

        assertThat(answer.succeeded()).as(refusals.toString()).isTrue();
        assertThat(answer.getContent()).containsEntry("type", Dcp.PRESENTATION_RESPONSE_MESSAGE);
        var vp = Jws.parse(((List<?>) answer.getContent().get("presentation")).get(0).toString(), "vp").getContent();
        assertThat(vp.jws().getHeader().getType().getType()).isEqualTo(Credentials.VP_JWT_TYPE);
        assertThat(vp.payload()).containsEntry("holder", alice.did.id()).containsEntry("aud", bob.did.id());
        var credentials = (List<?>) vp.payload().get("verifiableCredential");
        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).toString()).contains("EnvelopedVerifiableCredential");
        // the credential about Bob in Alice's directory is never presented, and is logged
        assertThat(alice.monitor.warnings).anyMatch(w -> w.contains("bobs.jwt") && w.contains("not this connector"));
    }

    @Test
    void query_whenAskingBeyondTheGrantedScopes_shouldBeForbidden() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        var answer = holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()),
                query(Dcp.scope(Credentials.MEMBERSHIP), Dcp.scope(Credentials.CERTIFICATION)), refusals::add);

        assertThat(answer.failed()).isTrue();
        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Refusal.FORBIDDEN);
            assertThat(r.reason()).contains("does not grant");
        });
    }

    @Test
    void query_whenNoScope_shouldBeABadRequest() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()), query(), refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.BAD_REQUEST));
    }

    @Test
    void query_whenAuthorizationIsNotBearer_shouldBeUnauthorized() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        var answer = holder.query(bob.tokens.idToken(alice.did.id(), access).getContent(), query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add);

        assertThat(answer.failed()).isTrue();
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.reason()).contains("is not a Bearer token"));
    }

    @Test
    void query_whenIdTokenReplayed_shouldBeUnauthorized() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();
        var idToken = bearer(bob.tokens.idToken(alice.did.id(), access).getContent());
        assertThat(holder.query(idToken, query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add).succeeded()).isTrue();

        assertThat(holder.query(idToken, query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add).failed()).isTrue();
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.reason()).contains("replay"));
    }

    @Test
    void query_whenAccessTokenNotIssuedByTheHolder_shouldBeUnauthorized() {
        var forged = bob.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        var answer = holder.query(bearer(bob.tokens.idToken(alice.did.id(), forged).getContent()), query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add);

        assertThat(answer.failed()).isTrue();
        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Refusal.UNAUTHORIZED);
            assertThat(r.reason()).contains("not issued by this connector");
        });
    }

    @Test
    void query_whenIdTokenForAnotherHolder_shouldBeUnauthorized() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        holder.query(bearer(bob.tokens.idToken(server.did("carol"), access).getContent()), query(Dcp.scope(Credentials.MEMBERSHIP)), refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.reason()).contains("audience"));
    }

    @Test
    void query_whenBodyIsNotAQuery_shouldBeABadRequest() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()), Map.of("type", "Something"), refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.BAD_REQUEST));
    }

    @Test
    void query_withPresentationDefinition_shouldBeABadRequest() {
        var access = alice.tokens.accessToken(bob.did.id(), List.of(Dcp.scope(Credentials.MEMBERSHIP))).getContent();

        holder.query(bearer(bob.tokens.idToken(alice.did.id(), access).getContent()),
                Map.of("type", Dcp.PRESENTATION_QUERY_MESSAGE, "presentationDefinition", Map.of()), refusals::add);

        assertThat(refusals).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Refusal.BAD_REQUEST));
    }

    private static String bearer(String jwt) {
        return "Bearer " + jwt;
    }

    private static Map<String, Object> query(String... scopes) {
        return Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", List.of(scopes));
    }
}
