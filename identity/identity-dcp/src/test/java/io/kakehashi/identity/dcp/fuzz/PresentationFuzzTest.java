package io.kakehashi.identity.dcp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.fuzz.FuzzIdentities;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.ALICE_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.ALICE_KEY;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.BOB_DID;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.CLOCK;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.MALLORY_KEY;
import static io.kakehashi.identity.credentials.fuzz.FuzzIdentities.SKEW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A holder's verifiable presentation as the DCP verifier reads it ({@link PresentationVerifier}, with the credential
 * verifier behind it): anything malformed is a failure value, never an exception, and a presentation verifies only when
 * alice's key signed it.
 * <p>
 * {@code verifyPresentation} takes the compact JWS as text; {@code verifyPresentationSignedByAnAttacker} a JSON payload
 * that the test signs with mallory's key (in no DID document) under alice's key id. Regression inputs:
 * {@code PresentationFuzzTestInputs/} under this package in src/test/resources. Fuzz with {@code JAZZER_FUZZ=1}
 * (docs/security.md).
 */
@Tag("security")
class PresentationFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PresentationVerifier verifier = verifier();

    @FuzzTest(maxDuration = "5m")
    void verifyPresentation(byte[] input) {
        var jwt = new String(input, StandardCharsets.UTF_8);

        var result = verifier.verify(jwt, ALICE_DID, BOB_DID);

        if (result.succeeded()) {
            assertThat(signedByAlice(jwt)).as("a presentation verified without alice's signature").isTrue();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void verifyPresentationSignedByAnAttacker(byte[] input) {
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
        var forged = Jws.sign(payload, MALLORY_KEY, ALICE_DID + "#" + ALICE_KEY.getKeyID(), "vp+jwt");
        if (forged.failed()) {
            return;
        }

        assertThat(verifier.verify(forged.getContent(), ALICE_DID, BOB_DID).succeeded()).as("a forged presentation verified").isFalse();
    }

    @Test
    void verifyPresentation_whenSeedsAreAlicesPresentations_shouldVerify() throws IOException {
        // the regression inputs "valid-vc20" and "valid-vc11" verify at the fixed clock: the target reaches the end
        for (var name : new String[]{ "valid-vc20", "valid-vc11" }) {
            try (var seed = getClass().getResourceAsStream("PresentationFuzzTestInputs/verifyPresentation/" + name)) {
                assertThat(seed).as(name).isNotNull();
                var result = verifier.verify(new String(seed.readAllBytes(), StandardCharsets.UTF_8), ALICE_DID, BOB_DID);

                assertThat(result.succeeded()).as(name + ": " + result.getFailureMessages()).isTrue();
                assertThat(result.getContent()).as(name).hasSize(1);
            }
        }
    }

    private static PresentationVerifier verifier() {
        var keys = FuzzIdentities.publicKeys();
        return new PresentationVerifier(keys, FuzzIdentities.credentialVerifier(keys), CLOCK, SKEW);
    }

    private static boolean signedByAlice(String jwt) {
        try {
            return JWSObject.parse(jwt.trim()).verify(new ECDSAVerifier(ALICE_KEY.toECPublicKey()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }
}
