package io.kakehashi.identity.dcp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.fuzz.FuzzIdentities;
import io.kakehashi.identity.dcp.IdTokenVerifier;
import io.kakehashi.identity.dcp.SelfIssuedTokens;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.WebDid;
import io.kakehashi.testfixtures.MapVault;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.ALICE_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.ALICE_KEY;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.BOB_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.CLOCK;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.MALLORY_KEY;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.NOW;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.SKEW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens a peer sends, as this connector reads them: the self-issued ID token of a DSP request
 * ({@link IdTokenVerifier}) and the access token presented to its own credential service
 * ({@link SelfIssuedTokens#verifyOwnAccessToken}). Anything malformed is a failure value, never an exception, and a
 * token verifies only when the key its issuer published (alice's; bob's own for access tokens) signed it.
 * <p>
 * The {@code verify…} targets take the token (the ID token with its {@code Bearer } prefix) as text; the
 * {@code …SignedByAnAttacker} targets take a JSON claims set, which the test signs with mallory's key (in no DID
 * document) under the victim's key id. Regression inputs: {@code IdTokenFuzzTestInputs/} under this package in
 * src/test/resources. Fuzz with {@code JAZZER_FUZZ=1} (docs/security.md).
 */
@Tag("security")
class IdTokenFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final IdTokenVerifier idTokens = new IdTokenVerifier(FuzzIdentities.publicKeys(), new InMemoryJtiValidationStore(), CLOCK, SKEW,
            Duration.ofMinutes(10));
    private final OwnDid bob = bob();
    private final SelfIssuedTokens bobsTokens = new SelfIssuedTokens(bob, CLOCK, Duration.ofMinutes(5));

    @FuzzTest(maxDuration = "5m")
    void verifyIdToken(byte[] input) {
        var token = new String(input, StandardCharsets.UTF_8);

        var result = idTokens.verify(token, BOB_DID);

        if (result.succeeded()) {
            assertThat(signedBy(token.substring(7).trim(), ALICE_KEY)).as("an ID token verified without alice's signature").isTrue();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void verifyIdTokenSignedByAnAttacker(byte[] input) {
        var forged = forge(input, ALICE_DID + "#" + ALICE_KEY.getKeyID());
        if (forged == null) {
            return;
        }

        assertThat(idTokens.verify("Bearer " + forged, BOB_DID).succeeded()).as("a forged ID token verified").isFalse();
    }

    @FuzzTest(maxDuration = "5m")
    void verifyOwnAccessToken(byte[] input) {
        var token = new String(input, StandardCharsets.UTF_8);

        var result = bobsTokens.verifyOwnAccessToken(token);

        if (result.succeeded()) {
            assertThat(signedBy(token, bob.signingKey())).as("an access token verified without bob's signature").isTrue();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void verifyOwnAccessTokenSignedByAnAttacker(byte[] input) {
        var forged = forge(input, bob.methodId(bob.signingKey()));
        if (forged == null) {
            return;
        }

        assertThat(bobsTokens.verifyOwnAccessToken(forged).succeeded()).as("a forged access token verified").isFalse();
    }

    @Test
    void verifyIdToken_whenSeedIsAlicesToken_shouldVerify() throws IOException {
        // the regression input "valid" is alice's ID token for bob at the fixed clock: the target reaches the end
        try (var seed = getClass().getResourceAsStream("IdTokenFuzzTestInputs/verifyIdToken/valid")) {
            assertThat(seed).isNotNull();
            var result = idTokens.verify(new String(seed.readAllBytes(), StandardCharsets.UTF_8), BOB_DID);

            assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
        }
    }

    @Test
    void verifyOwnAccessToken_whenBobIssuedIt_shouldVerify() {
        var token = bobsTokens.accessToken(ALICE_DID, List.of("org.eclipse.edc.vc.type:MembershipCredential:read")).getContent();

        assertThat(bobsTokens.verifyOwnAccessToken(token).succeeded()).isTrue();
        assertThat(bobsTokens.verifyOwnAccessToken(forge(token.split("\\.")[1], bob.methodId(bob.signingKey()))).succeeded()).isFalse();
    }

    private static String forge(byte[] input, String victimKeyId) {
        Map<String, Object> claims;
        try {
            claims = MAPPER.readValue(input, new TypeReference<>() {
            });
        } catch (IOException e) {
            return null;
        }
        if (claims == null) {
            return null;
        }
        var signed = Jws.sign(claims, MALLORY_KEY, victimKeyId, "JWT");
        return signed.succeeded() ? signed.getContent() : null;
    }

    private static String forge(String base64Claims, String victimKeyId) {
        return forge(java.util.Base64.getUrlDecoder().decode(base64Claims), victimKeyId);
    }

    private static boolean signedBy(String jwt, ECKey key) {
        try {
            return SignedJWT.parse(jwt).verify(new ECDSAVerifier(key.toECPublicKey()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    private static OwnDid bob() {
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(NOW);
        return new OwnDid(WebDid.parse(BOB_DID).getContent(), ring, "https://bob.test/cs");
    }
}
