package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.dcp.verifier.DcpIdentityService;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.dcp.verifier.PresentationClient;
import io.kakehashi.identity.dcp.verifier.PresentationLimits;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import io.kakehashi.identity.did.WebDidDocumentResolver;
import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.iam.did.resolution.DidResolverRegistryImpl;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, defect 9: a member's credential service that answers with thousands of valid presentations, or one
 * presentation with thousands of valid credentials, made the verifier check every one (4–9 s per DSP request). What
 * one request can make Bob read and verify is bounded, and an answer beyond the bounds is refused before any
 * presentation key is resolved or any credential verified — counted here, not timed.
 */
class PresentationBoundsTest {

    private static final List<String> TYPES = List.of(Credentials.MEMBERSHIP, Credentials.LEGAL_ENTITY, Credentials.CERTIFICATION);

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Participant alice;
    private OwnDid bob;
    private final AtomicInteger presentationKeyLookups = new AtomicInteger();
    private final AtomicInteger credentialVerifications = new AtomicInteger();
    private String membership;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), java.util.Set.of())));
        alice = new Participant(server, "alice", work, trusted, Clock.systemUTC());
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(Instant.now());
        var webDid = WebDid.parse(server.did("bob")).getContent();
        bob = new OwnDid(webDid, ring, webDid.baseUrl(true).toString());
        server.put("/bob/did.json", bob.document(Instant.now()));
        membership = japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(alice.did.id(), "manufacturing-x"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void thousandsOfValidPresentations_shouldBeRefusedBeforeAnyIsVerified() {
        answer(Collections.nCopies(3000, signed(List.of(membership))));

        var result = verify(bobWith(PresentationLimits.forScopes(TYPES.size()).with(64L << 20, null, null)));

        assertThat(result.getFailureDetail()).contains("3000 presentations").contains(PresentationLimits.MAX_PRESENTATIONS);
        assertThat(presentationKeyLookups).hasValue(0);
        assertThat(credentialVerifications).hasValue(0);
    }

    @Test
    void aPresentationOfThousandsOfValidCredentials_shouldBeRefusedBeforeItsSignatureOrAnyCredential() {
        answer(List.of(signed(Collections.nCopies(4000, membership))));

        var result = verify(bobWith(PresentationLimits.forScopes(TYPES.size()).with(64L << 20, null, null)));

        assertThat(result.getFailureDetail()).contains("4000 credentials").contains(PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION);
        assertThat(presentationKeyLookups).hasValue(0);
        assertThat(credentialVerifications).hasValue(0);
    }

    @Test
    void anOverLargePresentationAfterAValidOne_shouldLeaveTheValidOneUnverifiedToo() {
        answer(List.of(signed(List.of(membership)), signed(Collections.nCopies(13, membership))));

        var result = verify(bobWith(PresentationLimits.forScopes(TYPES.size())));

        assertThat(result.getFailureDetail()).contains("13 credentials");
        assertThat(presentationKeyLookups).hasValue(0);
        assertThat(credentialVerifications).hasValue(0);
    }

    @Test
    void anAnswerLongerThanTheLimit_shouldBeRefusedUnread() {
        answer(Collections.nCopies(400, signed(List.of(membership))));

        var result = verify(bobWith(PresentationLimits.forScopes(TYPES.size())));

        assertThat(result.getFailureDetail()).contains("more than " + PresentationLimits.forScopes(TYPES.size()).maxResponseBytes() + " bytes")
                .contains(PresentationLimits.MAX_RESPONSE_BYTES);
        assertThat(presentationKeyLookups).hasValue(0);
        assertThat(credentialVerifications).hasValue(0);
    }

    @Test
    void anAnswerWithinTheLimits_shouldBeVerifiedInFull() {
        var limits = PresentationLimits.forScopes(TYPES.size());
        answer(List.of(signed(List.of(membership)), signed(Collections.nCopies(limits.maxCredentialsPerPresentation(), membership))));

        var result = verify(bobWith(limits));

        assertThat(result.succeeded()).as(result.getFailureDetail()).isTrue();
        assertThat(presentationKeyLookups).hasValue(2);
        assertThat(credentialVerifications).hasValue(1 + limits.maxCredentialsPerPresentation());
    }

    /** Found by the fuzz tests: {@code exp: 1e308} made {@code Instant.ofEpochSecond} throw instead of refusing. */
    @Test
    void aPresentationWithATimeBeyondWhatAnInstantHolds_shouldBeRefusedNamingTheClaim() {
        var vp = presentation(List.of(membership));
        vp.put("exp", 1e308);
        answer(List.of(Jws.sign(vp, alice.did.signingKey(), alice.did.methodId(alice.did.signingKey()), Credentials.VP_JWT_TYPE).getContent()));

        var limits = PresentationLimits.forScopes(TYPES.size());
        var bobsVerifier = bobWith(limits);
        var result = verify(bobsVerifier);

        assertThat(result.getFailureDetail()).contains("presentation exp is not a time");
        assertThat(new PresentationVerifier(DidTestFixtures.publicKeys(Clock.systemUTC()), null, Clock.systemUTC(), Duration.ofSeconds(30))
                .inspect(Jws.sign(vp, alice.did.signingKey(), "k", Credentials.VP_JWT_TYPE).getContent(), alice.did.id(), bob.id())
                .getFailureDetail()).contains("exp is not a time");
        assertThat(credentialVerifications).hasValue(0);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"iat:-1e308", "nbf:1180591620717411303424", "exp:31556889864403200", "exp:NaN-like"})
    void aTimeNoInstantHolds_shouldBeRefusedWithoutThrowing(String claimAndValue) {
        var vp = presentation(List.of(membership));
        var claim = claimAndValue.substring(0, 3);
        var value = claimAndValue.substring(4);
        vp.put(claim, value.equals("NaN-like") ? "tomorrow" : new java.math.BigDecimal(value));
        var verifier = new PresentationVerifier(DidTestFixtures.publicKeys(Clock.systemUTC()), null, Clock.systemUTC(), Duration.ofSeconds(30));

        var result = verifier.inspect(Jws.sign(vp, alice.did.signingKey(), "k", Credentials.VP_JWT_TYPE).getContent(), alice.did.id(), bob.id());

        assertThat(result.getFailureDetail()).contains("presentation " + claim + " is not a time");
    }

    @Test
    void defaults_shouldFollowTheScopesAsked() {
        var limits = PresentationLimits.forScopes(3);

        assertThat(limits.maxPresentations()).isEqualTo(3);
        assertThat(limits.maxCredentialsPerPresentation()).isEqualTo(12);
        assertThat(limits.maxResponseBytes()).isEqualTo(3 * 12 * PresentationLimits.BYTES_PER_CREDENTIAL);
        assertThat(PresentationLimits.forScopes(1).maxPresentations()).isEqualTo(2);
    }

    @Test
    void settings_shouldReplaceTheDefaultsAndNameABadOne() {
        var limits = DcpIdentityExtension.presentationLimits(3, "1000", null, " 5 ");

        assertThat(limits).isEqualTo(new PresentationLimits(1000, 3, 5));
        assertThatThrownBy(() -> DcpIdentityExtension.presentationLimits(3, null, "0", null))
                .isInstanceOf(EdcException.class).hasMessageContaining(PresentationLimits.MAX_PRESENTATIONS);
        assertThatThrownBy(() -> DcpIdentityExtension.presentationLimits(3, "lots", null, null))
                .isInstanceOf(EdcException.class).hasMessageContaining(PresentationLimits.MAX_RESPONSE_BYTES);
    }

    /** Bob's verifier with these limits; presentation key lookups and credential verifications are counted. */
    private DcpIdentityService bobWith(PresentationLimits limits) {
        var clock = Clock.systemUTC();
        var skew = Duration.ofSeconds(30);
        var keys = DidTestFixtures.publicKeys(clock);
        var resolver = new WebDidDocumentResolver(DidTestFixtures.httpClient(), true, DidTestFixtures.typeManagerMapper());
        var registry = new DidResolverRegistryImpl(clock, Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        var presentationKeys = new DidPublicKeys(registry, resolver, clock, Duration.ofSeconds(10), Duration.ofMinutes(5)) {
            @Override
            public Result<com.nimbusds.jose.jwk.ECKey> find(String did, String keyId) {
                presentationKeyLookups.incrementAndGet();
                return super.find(did, keyId);
            }
        };
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), java.util.Set.of())));
        var statusLists = new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, clock, Duration.ofMinutes(5));
        var credentials = new CredentialVerifier(keys, trusted, statusLists, clock, skew) {
            @Override
            public Result<VerifiableCredential> verify(String jwt, String holderDid) {
                credentialVerifications.incrementAndGet();
                return super.verify(jwt, holderDid);
            }
        };
        var seen = new InMemoryJtiValidationStore();
        var tokens = new SelfIssuedTokens(bob, clock, Duration.ofMinutes(5));
        return new DcpIdentityService(bob, tokens, new IdTokenVerifier(keys, seen, clock, skew, Duration.ofMinutes(10)), keys,
                new PresentationClient(DidTestFixtures.httpClient(), true, limits, DidTestFixtures.typeManagerMapper()),
                new PresentationVerifier(presentationKeys, credentials, clock, skew, limits.maxCredentialsPerPresentation()),
                seen, TYPES, List.of(Credentials.MEMBERSHIP), PresentationCache.disabled(), new RecordingMonitor());
    }

    private Result<ClaimToken> verify(DcpIdentityService verifier) {
        var token = alice.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.id()).build()).getContent();
        return verifier.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());
    }

    /** Alice's credential service answers every query with these presentations. */
    private void answer(List<String> presentations) {
        var body = new StringBuilder("{\"type\":\"PresentationResponseMessage\",\"presentation\":[");
        for (var i = 0; i < presentations.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(presentations.get(i)).append('"');
        }
        var answer = body.append("]}").toString();
        server.onPost("/alice" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, request) -> new DidDocumentServer.Answer(200, answer));
    }

    /** A valid VC 2.0 presentation by Alice to Bob of these credentials. */
    private String signed(List<String> credentials) {
        return Jws.sign(presentation(credentials), alice.did.signingKey(), alice.did.methodId(alice.did.signingKey()), Credentials.VP_JWT_TYPE).getContent();
    }

    private Map<String, Object> presentation(List<String> credentials) {
        var vp = new LinkedHashMap<String, Object>();
        vp.put("@context", List.of(Credentials.VC_CONTEXT));
        vp.put("type", List.of("VerifiablePresentation"));
        vp.put("holder", alice.did.id());
        var enveloped = new ArrayList<Map<String, Object>>();
        credentials.forEach(jwt -> enveloped.add(Map.of("id", "data:application/vc+jwt," + jwt, "type", "EnvelopedVerifiableCredential")));
        vp.put("verifiableCredential", enveloped);
        vp.put("iss", alice.did.id());
        vp.put("aud", bob.id());
        vp.put("iat", Instant.now().getEpochSecond());
        vp.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        return vp;
    }
}
