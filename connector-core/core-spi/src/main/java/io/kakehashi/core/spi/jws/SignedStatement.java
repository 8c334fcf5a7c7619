package io.kakehashi.core.spi.jws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.util.Map;

/**
 * The envelope of the statements one connector signs for another — deletion receipts, withdrawal notices, model run
 * reports, provenance statements: a compact JWS, ES256, header {@code typ} naming the kind of statement and {@code kid}
 * the signing key (with a DID, its verification method), payload a JSON object. Each kind reads its own members from
 * the payload and verifies the signature with a key it found for the {@code kid}; this class only makes and opens the
 * envelope, and says in the statement's own words what is wrong with one. Stateless and thread-safe.
 */
public final class SignedStatement {

    /** An envelope opened, not yet verified: the key id that should verify it, the payload and the JWS. */
    public record Opened(String keyId, Map<String, Object> payload, JWSObject jws) {
    }

    private SignedStatement() {
    }

    /**
     * Signs {@code payload} as a statement of {@code type} with {@code key}.
     *
     * @param noun how the statement is named in a failure ("the deletion receipt")
     */
    public static String sign(String type, Map<String, Object> payload, ECKey key, String noun) {
        var jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type)).keyID(key.getKeyID()).build(),
                new Payload(payload));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("%s cannot be signed with key %s".formatted(noun, key.getKeyID()), e);
        }
        return jws.serialize();
    }

    /**
     * Opens a statement of {@code type}; a failure names what is wrong with it, as "{@code noun} is not a compact JWS",
     * "… is signed with …, not ES256", "…'s typ is not '…'", "…'s header names no key (kid)" or "…'s payload is not a
     * JSON object".
     */
    public static Result<Opened> open(String compact, String type, String noun) {
        if (compact == null || compact.isBlank()) {
            return Result.failure(noun + " is empty");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact);
        } catch (ParseException e) {
            return Result.failure(noun + " is not a compact JWS");
        }
        var header = jws.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            return Result.failure("%s is signed with %s, not ES256".formatted(noun, header.getAlgorithm()));
        }
        if (header.getType() == null || !type.equals(header.getType().getType())) {
            return Result.failure("%s's typ is not '%s'".formatted(noun, type));
        }
        if (header.getKeyID() == null || header.getKeyID().isBlank()) {
            return Result.failure(noun + "'s header names no key (kid)");
        }
        Map<String, Object> payload;
        try {
            payload = jws.getPayload().toJSONObject();
        } catch (RuntimeException e) {
            payload = null;
        }
        if (payload == null) {
            return Result.failure(noun + "'s payload is not a JSON object");
        }
        return Result.success(new Opened(header.getKeyID(), payload, jws));
    }
}
