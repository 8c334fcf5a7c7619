package io.kakehashi.identity.credentials.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Jws;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.ALICE_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.AUTHORITY_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.AUTHORITY_KEY;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.MALLORY_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder's JWT-secured credential as the {@link CredentialVerifier} reads it: anything malformed is a failure value,
 * never an exception, and a credential verifies only when the trusted authority's key signed it.
 * <p>
 * {@code verifyCredential}'s input is the compact JWS as text; {@code verifyCredentialSignedByAnAttacker}'s is the JSON
 * payload, which the test signs with a key that is in no DID document while naming the authority's key. Regression
 * inputs are in {@code CredentialFuzzTestInputs/} under this package in src/test/resources. Fuzz with
 * {@code JAZZER_FUZZ=1} (docs/security.md).
 */
@Tag("security")
class CredentialFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CredentialVerifier verifier = FuzzIdentities.credentialVerifier(FuzzIdentities.publicKeys());

    @FuzzTest(maxDuration = "5m")
    void verifyCredential(byte[] input) {
        var jwt = new String(input, StandardCharsets.UTF_8);

        var result = verifier.verify(jwt, ALICE_DID);

        if (result.succeeded()) {
            assertThat(signedBy(jwt)).as("a credential verified without the authority's signature").isTrue();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void verifyCredentialSignedByAnAttacker(byte[] input) {
        Map<String, Object> payload;
        try {
            payload = MAPPER.readValue(input, new TypeReference<>() {
            });
        } catch (IOException e) {
            return;
        }
        if (payload == null) {
            return;
        }
        var forged = Jws.sign(payload, MALLORY_KEY, AUTHORITY_DID + "#" + AUTHORITY_KEY.getKeyID(), "vc+jwt");
        if (forged.failed()) {
            return;
        }

        assertThat(verifier.verify(forged.getContent(), ALICE_DID).succeeded()).as("a forged credential verified").isFalse();
    }

    @Test
    void verifyCredential_whenSeedIsTheAuthoritysCredential_shouldVerify() throws IOException {
        // the regression input "valid-membership" is a credential the authority signed: the target reaches the end
        var seed = getClass().getResourceAsStream("CredentialFuzzTestInputs/verifyCredential/valid-membership");
        assertThat(seed).isNotNull();
        var jwt = new String(seed.readAllBytes(), StandardCharsets.UTF_8);

        var result = verifier.verify(jwt, ALICE_DID);

        assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
    }

    private static boolean signedBy(String jwt) {
        try {
            return JWSObject.parse(jwt.trim()).verify(new ECDSAVerifier(AUTHORITY_KEY.toECPublicKey()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }
}
