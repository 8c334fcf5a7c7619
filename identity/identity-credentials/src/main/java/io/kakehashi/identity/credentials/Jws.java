package io.kakehashi.identity.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.json.JsonCodec;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.util.Map;

/**
 * Compact ES256 JWS of JSON objects, with Nimbus. The payload is written and read by {@link JsonCodec} (the issuer tool
 * signs with it outside a runtime): what is signed is a map's entries in its order, as plain Jackson writes them.
 * Thread-safe.
 */
public final class Jws {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A parsed, not yet verified JWS with its JSON payload. */
    public record Parsed(JWSObject jws, Map<String, Object> payload) {

        /** The {@code kid} of the header, or null. */
        public String keyId() {
            return jws.getHeader().getKeyID();
        }

        /** Whether the signature verifies against {@code key} (ES256 only). */
        public boolean verifies(ECKey key) {
            try {
                return JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) && jws.verify(new ECDSAVerifier(key.toECPublicKey()));
            } catch (JOSEException e) {
                return false;
            }
        }
    }

    private Jws() {
    }

    /** Signs {@code payload} with ES256 under {@code keyId}. */
    public static Result<String> sign(Map<String, Object> payload, ECKey key, String keyId, String type) {
        try {
            var header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).type(new JOSEObjectType(type)).build();
            var jws = new JWSObject(header, new Payload(JsonCodec.writer().writeValueAsString(payload)));
            jws.sign(new ECDSASigner(key));
            return Result.success(jws.serialize());
        } catch (JOSEException | JsonProcessingException e) {
            return Result.failure("cannot sign: " + e.getMessage());
        }
    }

    /** Parses a compact JWS whose payload is a JSON object. */
    public static Result<Parsed> parse(String compact, String what) {
        if (compact == null || compact.isBlank()) {
            return Result.failure("%s is empty".formatted(what));
        }
        try {
            var jws = JWSObject.parse(compact.trim());
            return Result.success(new Parsed(jws, JsonCodec.reader().forType(MAP).readValue(jws.getPayload().toString())));
        } catch (ParseException | JsonProcessingException | RuntimeException e) {
            return Result.failure("%s is not a JWS with a JSON payload".formatted(what));
        }
    }
}
