package io.kakehashi.transfer.grpc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.transfer.grpc.auth.TransferTokenVerifier;
import io.kakehashi.transfer.grpc.edc.EdcTransferTokenVerifier;
import org.eclipse.edc.connector.dataplane.framework.store.InMemoryAccessTokenDataStore;
import org.eclipse.edc.connector.dataplane.iam.service.DefaultDataPlaneAccessTokenServiceImpl;
import org.eclipse.edc.jwt.signer.spi.JwsSignerProvider;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.token.JwtGenerationService;
import org.eclipse.edc.token.TokenValidationServiceImpl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transfer token a peer puts on a gRPC call, as the data plane reads it: EDC's data-plane access-token service (the
 * one a connector runs, with an in-memory token store) behind {@link EdcTransferTokenVerifier}. Anything malformed is a
 * failure value, never an exception, and a token is accepted only when the data plane's key signed it.
 * <p>
 * {@code verify}'s input is the token as text; {@code verifySignedByAnAttacker}'s is a JSON claims set that the test
 * signs with another key under the data plane's key id (the claims of the token the data plane issued are a seed, so
 * only the signature stands between the fuzzer and an accepted token). Regression inputs:
 * {@code TransferTokenFuzzTestInputs/} under this package in src/test/resources. Fuzz with {@code JAZZER_FUZZ=1}
 * (docs/security.md).
 */
@Tag("security")
class TransferTokenFuzzTest {

    /** A fixed test key (it signs nothing outside tests), so that the signed regression inputs keep verifying. */
    private static final ECKey DATA_PLANE_KEY = key("""
            {"kty":"EC","crv":"P-256","x":"YzowWy-BSBlZcNUceUcKFl8VyM5bxZfEFaPXN2P_lKo","y":"wbGQ3GHhIezlqil4vS0GEnA0x_79cZ9QmMwalag8HyQ",\
            "d":"B-IRdiy2h-0gRvi96XvKSGAFnTjjXje-0ECfQdda1g4","kid":"dataplane-key"}""");
    /** The claims of the one token the data plane issued; the regression inputs carry the same. */
    private static final long EXPIRY = 4102444800L;
    private static final Map<String, Object> ISSUED_CLAIMS = Map.of("jti", "jti-1", "iss", "provider", "sub", "provider",
            "aud", "consumer", "iat", 1780272000L, "exp", EXPIRY);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ECKey attackerKey = generated();
    private final TransferTokenVerifier verifier = verifier();

    @FuzzTest(maxDuration = "5m")
    void verify(byte[] input) {
        var token = new String(input, StandardCharsets.UTF_8);

        var result = verifier.verify(token);

        if (result.succeeded()) {
            assertThat(signedByTheDataPlane(token)).as("a transfer token accepted without the data plane's signature").isTrue();
            assertThat(result.getContent().transferId()).isEqualTo("transfer-1");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void verifySignedByAnAttacker(byte[] input) {
        var forged = forge(input);
        if (forged == null) {
            return;
        }

        assertThat(verifier.verify(forged).succeeded()).as("a forged transfer token was accepted").isFalse();
    }

    @Test
    void verify_whenSeedCarriesTheIssuedTokensClaims_shouldAccept() throws IOException {
        // the regression input "valid" reaches the end of the target: the data plane's key signed the issued claims
        try (var seed = getClass().getResourceAsStream("TransferTokenFuzzTestInputs/verify/valid")) {
            assertThat(seed).isNotNull();
            var result = verifier.verify(new String(seed.readAllBytes(), StandardCharsets.UTF_8));

            assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
            assertThat(result.getContent().agreementId()).isEqualTo("agreement-1");
        }
    }

    private TransferTokenVerifier verifier() {
        var store = new InMemoryAccessTokenDataStore(CriterionOperatorRegistryImpl.ofDefaults());
        var signers = new JwsSignerProvider() {
            @Override
            public Result<JWSSigner> createJwsSigner(String privateKeyId) {
                return signer();
            }

            @Override
            public Result<JWSSigner> createJwsSigner(String privateKeyId, String algorithm) {
                return signer();
            }
        };
        var tokens = new DefaultDataPlaneAccessTokenServiceImpl(new JwtGenerationService(signers), store, new Monitor() {
        }, () -> "signer", DATA_PLANE_KEY::getKeyID, new TokenValidationServiceImpl(),
                id -> DATA_PLANE_KEY.getKeyID().equals(id) ? publicKey() : Result.failure("no key " + id));
        var parameters = TokenParameters.Builder.newInstance();
        ISSUED_CLAIMS.forEach(parameters::claims);
        var issued = tokens.obtainToken(parameters.build(), DataAddress.Builder.newInstance().type("HttpData").build(),
                Map.of("process_id", "transfer-1", "agreement_id", "agreement-1"));
        assertThat(issued.succeeded()).isTrue();
        // every agreement is usable here: the target is the token check, not the agreement rule
        return new EdcTransferTokenVerifier(tokens, Duration.ofMinutes(30), agreementId -> Result.success());
    }

    private String forge(byte[] input) {
        try {
            Map<String, Object> claims = MAPPER.readValue(input, new TypeReference<>() {
            });
            if (claims == null) {
                return null;
            }
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(DATA_PLANE_KEY.getKeyID()).build(), JWTClaimsSet.parse(claims));
            jwt.sign(new ECDSASigner(attackerKey));
            return jwt.serialize();
        } catch (IOException | ParseException | JOSEException | RuntimeException e) {
            // not a claims set Nimbus can sign: nothing to send
            return null;
        }
    }

    private static Result<JWSSigner> signer() {
        try {
            return Result.success(new ECDSASigner(DATA_PLANE_KEY));
        } catch (JOSEException e) {
            return Result.failure(e.getMessage());
        }
    }

    private static Result<java.security.PublicKey> publicKey() {
        try {
            return Result.success(DATA_PLANE_KEY.toECPublicKey());
        } catch (JOSEException e) {
            return Result.failure(e.getMessage());
        }
    }

    private static boolean signedByTheDataPlane(String token) {
        try {
            return SignedJWT.parse(token).verify(new ECDSAVerifier(DATA_PLANE_KEY.toECPublicKey()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    private static ECKey generated() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey key(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
