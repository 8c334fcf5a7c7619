package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.issuer.Authority;
import io.kakehashi.identity.issuer.AuthorityFileServer;
import org.eclipse.edc.iam.decentralizedclaims.spi.verification.VerifierContext;
import org.eclipse.edc.iam.decentralizedclaims.transform.to.JwtToVerifiableCredentialTransformer;
import org.eclipse.edc.iam.decentralizedclaims.transform.to.JwtToVerifiablePresentationTransformer;
import org.eclipse.edc.iam.verifiablecredentials.VerifiableCredentialValidationServiceImpl;
import org.eclipse.edc.iam.verifiablecredentials.revocation.RevocationServiceRegistryImpl;
import org.eclipse.edc.iam.verifiablecredentials.revocation.bitstring.BitstringStatusListRevocationService;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.CredentialFormat;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.Issuer;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.VerifiablePresentation;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.VerifiablePresentationContainer;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.revocation.bitstringstatuslist.BitstringStatusListStatus;
import org.eclipse.edc.iam.verifiablecredentials.spi.validation.TrustedIssuerRegistry;
import org.eclipse.edc.json.JacksonTypeManager;
import org.eclipse.edc.keys.spi.PublicKeyResolver;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.token.TokenValidationRulesRegistryImpl;
import org.eclipse.edc.token.TokenValidationServiceImpl;
import org.eclipse.edc.transform.TypeTransformerRegistryImpl;
import org.eclipse.edc.verifiablecredentials.jwt.JwtPresentationVerifier;
import org.eclipse.edc.verifiablecredentials.jwt.rules.HasSubjectRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a stock EDC 0.15.1 verifier makes of a Kakehashi holder's answer, decided by EDC's own code from Maven Central
 * (test scope): the steps of its {@code DcpIdentityService} after the presentation query — each presentation parsed by
 * {@code JwtToVerifiablePresentationTransformer}, verified by {@code JwtPresentationVerifier} with the rules
 * {@code DcpCoreExtension} registers, its credentials by {@code VerifiableCredentialValidationServiceImpl} (validity,
 * subject = holder, trusted issuer, revocation through {@code BitstringStatusListRevocationService} reading the issuer
 * tool's status list), and the holder compared with the caller. Only the DID key lookup is Kakehashi's.
 */
class EdcVerifierTest {

    private static final String EDC_MEMBERSHIP_SCOPE = "org.eclipse.edc.vc.type:MembershipCredential:read";
    private static final RecordingMonitor MONITOR = new RecordingMonitor();

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority authority;
    private AuthorityFileServer authorityServer;
    private Participant alice;
    private Participant edc;
    private PresentationService holder;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        authority = Authority.create(work.resolve("authority"), "did:web:127.0.0.1%3A" + port + ":authority", true).getContent();
        authorityServer = AuthorityFileServer.start(authority, "127.0.0.1", port);
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(authority.did(), Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        edc = new Participant(server, "edc", work, trusted, Clock.systemUTC());
        var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
        holder = new PresentationService(alice.did, new DirectoryCredentialStore(alice.credentials, alice.did.id(), alice.monitor), alice.tokens,
                new IdTokenVerifier(keys, alice.seenTokens, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofMinutes(10)), alice.seenTokens, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        authorityServer.close();
        server.close();
    }

    private String issue(Authority.Format format) {
        return authority.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "catena-x"),
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), format).getContent();
    }

    /** Alice's answer to the EDC verifier's query in {@code scope}, as its raw presentations. */
    private List<String> aliceAnswers(String scope) {
        var access = alice.tokens.accessToken(edc.did.id(), List.of(scope)).getContent();
        var answer = holder.query("Bearer " + edc.tokens.idToken(alice.did.id(), access).getContent(),
                Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", List.of(scope)), refused -> {
                });
        assertThat(answer.succeeded()).isTrue();
        return ((List<?>) answer.getContent().get("presentation")).stream().map(Object::toString).toList();
    }

    /** EDC 0.15.1's verdict on the presentations of caller {@code caller}, as its DcpIdentityService reaches it. */
    private Result<Void> edcVerifies(List<String> presentations, String caller) {
        var typeManager = new JacksonTypeManager();
        var transformers = new TypeTransformerRegistryImpl();
        transformers.register(new JwtToVerifiableCredentialTransformer(MONITOR));
        transformers.register(new JwtToVerifiablePresentationTransformer(MONITOR, typeManager, "json-ld", null));
        var containers = new ArrayList<VerifiablePresentationContainer>();
        for (var raw : presentations) {
            var parsed = transformers.transform(raw, VerifiablePresentation.class);
            if (parsed.failed()) {
                return parsed.mapFailure();
            }
            containers.add(new VerifiablePresentationContainer(raw, CredentialFormat.VC1_0_JWT, parsed.getContent()));
        }
        var rules = new TokenValidationRulesRegistryImpl();
        rules.addRule(JwtPresentationVerifier.JWT_VC_TOKEN_CONTEXT, new HasSubjectRule());
        var jwtVerifier = new JwtPresentationVerifier(typeManager, "json-ld", new TokenValidationServiceImpl(), rules, keyResolver(DidTestFixtures.publicKeys(Clock.systemUTC())));
        var revocation = new RevocationServiceRegistryImpl(MONITOR);
        // EDC's default edc.iam.credential.revocation.mimetype is */*; no cache, so a revocation is seen at once
        revocation.addService(BitstringStatusListStatus.TYPE, new BitstringStatusListRevocationService(typeManager.getMapper(), 0, List.of("*/*"), DidTestFixtures.httpClient()));
        var validation = new VerifiableCredentialValidationServiceImpl(
                (container, audience) -> VerifierContext.Builder.newInstance().verifier(jwtVerifier).audience(audience).build().verify(container.rawVp()),
                trustedIssuer(authority.did()), revocation, Clock.systemUTC(), typeManager.getMapper());
        var validated = validation.validate(containers, edc.did.id(), List.of());
        if (validated.failed()) {
            return validated;
        }
        // DcpIdentityService.verifyPresentationIssuer
        var holders = containers.stream().map(c -> c.presentation().getHolder()).toList();
        return holders.stream().allMatch(caller::equals) ? Result.success() : Result.failure("presentation holders " + holders);
    }

    private static PublicKeyResolver keyResolver(DidPublicKeys keys) {
        return id -> {
            var did = id.contains("#") ? id.substring(0, id.indexOf('#')) : id;
            var key = keys.find(did, id);
            if (key.failed()) {
                return key.mapFailure();
            }
            try {
                return Result.success((PublicKey) key.getContent().toECPublicKey());
            } catch (Exception e) {
                return Result.failure(e.getMessage());
            }
        };
    }

    private static TrustedIssuerRegistry trustedIssuer(String did) {
        return new TrustedIssuerRegistry() {
            @Override
            public void register(Issuer issuer, String type) {
            }

            @Override
            public Set<String> getSupportedTypes(Issuer issuer) {
                return did.equals(issuer.id()) ? Set.of(TrustedIssuerRegistry.WILDCARD) : Set.of();
            }
        };
    }

    @Test
    void edcVerifier_whenKakehashiPresentsVc11ForEdcsAlias_shouldAcceptThenRefuseOnceRevoked() throws IOException {
        var credential = issue(Authority.Format.VC11);
        Files.writeString(alice.credentials.resolve("membership-vc11.jwt"), credential);
        Files.writeString(alice.credentials.resolve("membership-vc2.jwt"), issue(Authority.Format.VC2));

        var presentations = aliceAnswers(EDC_MEMBERSHIP_SCOPE);

        assertThat(presentations).hasSize(1);
        var accepted = edcVerifies(presentations, alice.did.id());
        assertThat(accepted.succeeded()).as(String.valueOf(accepted.getFailureMessages())).isTrue();

        authority.revoke(credential);

        assertThat(edcVerifies(aliceAnswers(EDC_MEMBERSHIP_SCOPE), alice.did.id()).getFailureDetail()).contains("revocation");
    }

    @Test
    void edcVerifier_whenCallerIsNotTheHolder_shouldRefuse() throws IOException {
        Files.writeString(alice.credentials.resolve("membership-vc11.jwt"), issue(Authority.Format.VC11));

        assertThat(edcVerifies(aliceAnswers(EDC_MEMBERSHIP_SCOPE), edc.did.id()).getFailureDetail()).contains("presentation holders");
    }

    @Test
    void edcVerifier_whenOnlyVc2Held_shouldRefuseEveryFormKakehashiCanSend() throws IOException {
        Files.writeString(alice.credentials.resolve("membership-vc2.jwt"), issue(Authority.Format.VC2));

        // EDC 0.15.1 verifies a JWT only with a vc or vp claim: the enveloped form (EDC's alias) and the vp+jwt
        // (DCP 1.0's alias) both fail, which is why a connector joining stock EDC needs VC 1.1 credentials (0030)
        assertThat(edcVerifies(aliceAnswers(EDC_MEMBERSHIP_SCOPE), alice.did.id()).getFailureDetail()).contains("Either 'vp' or 'vc' claim must be present");
        assertThat(edcVerifies(aliceAnswers(Dcp.scope(Credentials.MEMBERSHIP)), alice.did.id()).getFailureDetail()).contains("EnvelopedVerifiablePresentation");
    }
}
