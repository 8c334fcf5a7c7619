package io.kakehashi.identity.credentials;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.did.DidKeyRing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JwsTest {

    @Test
    void sign_shouldSignThePayloadAsAPlainMapperWritesIt() throws Exception {
        var key = DidKeyRing.generate().getContent();
        var payload = new LinkedHashMap<String, Object>();
        payload.put("iss", "did:web:example.com");
        payload.put("vc", Map.of("type", List.of("VerifiableCredential", "会員証")));
        payload.put("iat", 1_700_000_000);
        payload.put("nbf", null);

        var compact = Jws.sign(payload, key, "did:web:example.com#key-1", "vc+jwt").getContent();

        var signed = new String(Base64.getUrlDecoder().decode(compact.split("\\.")[1]), StandardCharsets.UTF_8);
        // what was signed before the codec mapper was shared: a plain ObjectMapper's output, the map's order kept
        assertThat(signed).isEqualTo(new ObjectMapper().writeValueAsString(payload))
                .isEqualTo("{\"iss\":\"did:web:example.com\",\"vc\":{\"type\":[\"VerifiableCredential\",\"会員証\"]},\"iat\":1700000000,\"nbf\":null}");
        var parsed = Jws.parse(compact, "credential").getContent();
        assertThat(parsed.verifies(key)).isTrue();
        assertThat(parsed.payload()).isEqualTo(payload);
    }

    @Test
    void parse_whenThePayloadIsNestedDeeperThanTheCodecReads_shouldFail() {
        var key = DidKeyRing.generate().getContent();
        var compact = Jws.sign(Map.of("deep", "x"), key, "k", "JWT").getContent();
        var parts = compact.split("\\.");
        var deep = "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        var tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(deep.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        var parsed = Jws.parse(tampered, "credential");

        assertThat(parsed.failed()).isTrue();
        assertThat(parsed.getFailureDetail()).isEqualTo("credential is not a JWS with a JSON payload");
    }
}
