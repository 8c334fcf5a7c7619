package io.kakehashi.identity.dcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.CredentialFormat;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.CredentialSubject;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.Issuer;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.VerifiableCredential;
import org.eclipse.edc.iam.verifiablecredentials.spi.model.VerifiableCredentialContainer;
import org.eclipse.edc.identityhub.core.services.verifiablepresentation.generators.JwtEnvelopedPresentationGenerator;
import org.eclipse.edc.identityhub.core.services.verifiablepresentation.generators.JwtPresentationGenerator;
import org.eclipse.edc.identityhub.core.services.verifiablepresentation.generators.PresentationGeneratorConstants;
import org.eclipse.edc.jwt.signer.spi.JwsSignerProvider;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.token.JwtGenerationService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.kakehashi.identity.dcp.Vc11TestFixtures.vc11;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kakehashi's verifier on presentations made by IdentityHub 0.15.1's own generators (Maven Central, test scope; a
 * Surefire execution of its own, see the pom): {@code JwtEnvelopedPresentationGenerator} for VC 2.0 credentials and
 * {@code JwtPresentationGenerator} for VC 1.1 ones, signed through EDC's {@code JwtGenerationService} with the holder's
 * key, served by a credential service that refuses DCP 1.0's scope alias with 403 as IdentityHub does.
 */
class IdentityHubGeneratorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Authority japan;
    private Participant bob;
    private Participant carol;
    private JwtGenerationService tokens;
    private volatile Supplier<List<String>> carolAnswers;

    @BeforeEach
    void setUp() throws IOException {
        // only the Surefire execution identityhub-generators has IdentityHub on its class path (a -Dtest run reaches
        // the default execution too, which skips it here)
        assumeTrue(getClass().getClassLoader().getResource(
                "org/eclipse/edc/identityhub/core/services/verifiablepresentation/generators/JwtEnvelopedPresentationGenerator.class") != null);
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of())));
        bob = new Participant(server, "bob", work, trusted, Clock.systemUTC());
        carol = new Participant(server, "carol", work, trusted, Clock.systemUTC());
        tokens = new JwtGenerationService(new JwsSignerProvider() {
            @Override
            public Result<com.nimbusds.jose.JWSSigner> createJwsSigner(String privateKeyAlias) {
                try {
                    return Result.success(new ECDSASigner(carol.did.signingKey()));
                } catch (JOSEException e) {
                    return Result.failure(e.getMessage());
                }
            }

            @Override
            public Result<com.nimbusds.jose.JWSSigner> createJwsSigner(String participantContextId, String privateKeyAlias) {
                return createJwsSigner(privateKeyAlias);
            }
        });
        server.onPost("/carol" + Dcp.PRESENTATIONS_QUERY_PATH, (authorization, body) -> {
            if (!body.contains("org.eclipse.edc.vc.type:") || body.contains("org.eclipse.dspace.dcp.vc.type:")) {
                return new DidDocumentServer.Answer(403, "[{\"message\":\"Scope alias MUST be org.eclipse.edc.vc.type\"}]");
            }
            try {
                return new DidDocumentServer.Answer(200, MAPPER.writeValueAsString(IdentityHubTestFixtures.response(carolAnswers.get())));
            } catch (IOException | RuntimeException | LinkageError e) {
                e.printStackTrace();
                return new DidDocumentServer.Answer(500, null);
            }
        });
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static VerifiableCredentialContainer container(String jwt, CredentialFormat format, String subject) {
        var credential = VerifiableCredential.Builder.newInstance().type(Credentials.MEMBERSHIP).issuer(new Issuer("did:web:issuer"))
                .issuanceDate(Instant.now()).credentialSubject(CredentialSubject.Builder.newInstance().id(subject).claim(Credentials.MEMBER_OF, "catena-x").build()).build();
        return new VerifiableCredentialContainer(jwt, format, credential);
    }

    /** What IdentityHub's VerifiablePresentationServiceImpl passes: the verifier as aud, the holder's DID as controller. */
    private Map<String, Object> additionalData() {
        return Map.of("aud", bob.did.id(), PresentationGeneratorConstants.CONTROLLER_ADDITIONAL_DATA, carol.did.id());
    }

    private String enveloped(String holder, String credential) {
        return new JwtEnvelopedPresentationGenerator(carol.monitor, tokens).generatePresentation("carol",
                List.of(container(credential, CredentialFormat.VC2_0_JOSE, carol.did.id())), "carol-key",
                carol.did.methodId(carol.did.signingKey()), holder, additionalData());
    }

    private Result<ClaimToken> carolCallsBob() {
        var token = carol.identity.obtainClientCredentials("p", TokenParameters.Builder.newInstance().claims("aud", bob.did.id()).build()).getContent();
        return bob.identity.verifyJwtToken("p", token, VerificationContext.Builder.newInstance().policy(Policy.Builder.newInstance().build()).build());
    }

    @Test
    void verify_whenIdentityHubEnvelopesVc2_shouldAccept() {
        var credential = japan.issue(Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"));
        carolAnswers = () -> List.of(enveloped(carol.did.id(), credential));

        var result = carolCallsBob();

        assertThat(result.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
        assertThat(VerifiedClaims.of(carol.did.id(), result.getContent().getClaims()).memberships()).containsExactly("catena-x");
    }

    @Test
    void verify_whenIdentityHubPresentsVc11_shouldAccept() {
        var credential = vc11(japan, Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"));
        carolAnswers = () -> List.of(new JwtPresentationGenerator(Clock.systemUTC(), tokens).generatePresentation("carol",
                List.of(container(credential, CredentialFormat.VC1_0_JWT, carol.did.id())), "carol-key",
                carol.did.methodId(carol.did.signingKey()), carol.did.id(), additionalData()));

        var result = carolCallsBob();

        assertThat(result.succeeded()).as(bob.monitor.warnings.toString()).isTrue();
    }

    @Test
    void verify_whenIdentityHubEnvelopesForAnotherHolder_shouldRefuse() {
        var credential = japan.issue(Credentials.MEMBERSHIP, Map.of("id", carol.did.id(), Credentials.MEMBER_OF, "catena-x"));
        carolAnswers = () -> List.of(enveloped(bob.did.id(), credential));

        assertThat(carolCallsBob().failed()).isTrue();
        assertThat(bob.monitor.warnings).last().asString().contains("enveloped presentation holder");
    }

    @Test
    void verify_whenIdentityHubEnvelopesACredentialAboutAnotherDid_shouldRefuse() {
        var credential = japan.issue(Credentials.MEMBERSHIP, Map.of("id", bob.did.id(), Credentials.MEMBER_OF, "catena-x"));
        carolAnswers = () -> List.of(enveloped(carol.did.id(), credential));

        assertThat(carolCallsBob().failed()).isTrue();
        assertThat(bob.monitor.warnings).last().asString().contains("not the presenter");
    }
}
