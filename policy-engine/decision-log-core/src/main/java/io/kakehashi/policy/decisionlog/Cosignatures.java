package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A witness's countersignature of another connector's signed tree head: a compact JWS, ES256, header {@code typ}
 * {@value #TYPE}, the witness's {@code kid} and its public {@code jwk} (so that anyone holding the countersignature can
 * check it, and then check that key against the witness's published identity), payload the canonical JSON
 * {@code {"headHash", "logKey", "rootHash", "time", "treeSize"}}: the witness saw, at {@code time}, the log whose key
 * has the RFC 7638 thumbprint {@code logKey} sign a tree of {@code treeSize} entries with head {@code rootHash}, and
 * found it consistent with every head of that log it had witnessed before. Stateless and thread-safe.
 */
public final class Cosignatures {

    public static final String TYPE = "kakehashi-tree-head-cosignature+jws";

    /**
     * A countersignature as verified: the witness's key and what it signed.
     */
    public record Cosignature(ECKey witnessKey, String witnessKid, String logKey, long treeSize, String rootHash, String headHash, Instant time) {
    }

    private Cosignatures() {
    }

    /**
     * Countersigns {@code head}, a verified signed tree head of the log whose key has thumbprint {@code logKey}.
     *
     * @param witnessKey the witness's private EC P-256 key, with a key id
     */
    public static String sign(ECKey witnessKey, Checkpoint head, String logKey, Instant now) {
        var payload = JsonCanonicalizer.mapper().createObjectNode();
        payload.put("headHash", head.headHash());
        payload.put("logKey", logKey);
        payload.put("rootHash", head.treeRoot());
        payload.put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
        payload.put("treeSize", head.sequence());
        var header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID(witnessKey.getKeyID())
                .jwk(witnessKey.toPublicJWK()).build();
        var jws = new JWSObject(header, new Payload(JsonCanonicalizer.canonicalize(payload).getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(new ECDSASigner(witnessKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot countersign a tree head: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /**
     * Checks a countersignature's form and its signature with the key its header carries.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cosignature verify(String jws) {
        JWSObject parsed;
        try {
            parsed = JWSObject.parse(jws);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the countersignature is not a compact JWS");
        }
        var header = parsed.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || header.getType() == null || !TYPE.equals(header.getType().getType())) {
            throw new IllegalArgumentException("the countersignature is not an ES256 JWS of type " + TYPE);
        }
        if (!(header.getJWK() instanceof ECKey key) || !Curve.P_256.equals(key.getCurve()) || key.isPrivate()) {
            throw new IllegalArgumentException("the countersignature carries no EC P-256 public key ('jwk')");
        }
        try {
            if (!parsed.verify(new ECDSAVerifier(key))) {
                throw new IllegalArgumentException("the countersignature does not verify with the key it carries");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the countersignature cannot be checked: " + e.getMessage());
        }
        var payload = JsonCanonicalizer.parse(parsed.getPayload().toString());
        try {
            var size = payload.path("treeSize");
            if (!size.canConvertToLong() || size.asLong() < 1) {
                throw new IllegalArgumentException("the countersignature's treeSize is not a positive whole number");
            }
            return new Cosignature(key, header.getKeyID(), text(payload, "logKey"), size.asLong(), text(payload, "rootHash"),
                    text(payload, "headHash"), Instant.parse(text(payload, "time")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the countersignature's time is not an instant");
        }
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode node, String name) {
        var value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("the countersignature's payload has no '" + name + "'");
        }
        return value.asText();
    }
}
