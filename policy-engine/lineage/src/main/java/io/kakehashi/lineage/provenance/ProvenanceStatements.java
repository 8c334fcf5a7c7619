package io.kakehashi.lineage.provenance;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.kakehashi.core.spi.jws.SignedStatement;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.Map;

/**
 * The signed provenance statement that travels with an asset this connector derived from what it received: a compact
 * JWS, ES256, {@code typ} {@value #TYPE}, {@code kid} the exporter's key (its DID verification method). Payload:
 * {@code assetId}, {@code exporterId}, {@code recipientId}, {@code agreementId} (the protocol id of the agreement the
 * asset goes out under), {@code issuedAt}, and {@code sources}: for each lineage record the asset derives from, its
 * {@code lineageId}, {@code kind}, {@code sha256}, the upstream {@code agreementId} (protocol id) and {@code providerId},
 * and the rights that agreement states ({@code modelRights}, {@code derivedData}, {@code derivedModels}, null when it
 * states none). Stateless and thread-safe.
 */
public final class ProvenanceStatements {

    public static final String TYPE = "kakehashi-provenance+jws";
    private static final String NOUN = "the provenance statement";
    static final int MAX_SOURCES = 1_000;

    private ProvenanceStatements() {
    }

    /** A statement as read, not yet verified. */
    public record Read(Map<String, Object> payload, String keyId, JWSObject jws) {
        public String text(String name) {
            return payload.get(name) instanceof String s ? s : null;
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> sources() {
            return (List<Map<String, Object>>) payload.get("sources");
        }
    }

    public static String sign(Map<String, Object> payload, ECKey key) {
        return SignedStatement.sign(TYPE, payload, key, NOUN);
    }

    /** Reads a statement; a failure names what is wrong with it. */
    public static Result<Read> read(String compact) {
        var opened = SignedStatement.open(compact, TYPE, NOUN);
        if (opened.failed()) {
            return opened.mapFailure();
        }
        var payload = opened.getContent().payload();
        var jws = opened.getContent().jws();
        for (var name : List.of("assetId", "exporterId", "recipientId", "agreementId", "issuedAt")) {
            if (!(payload.get(name) instanceof String value) || value.isBlank()) {
                return Result.failure("the provenance statement is malformed: %s is missing".formatted(name));
            }
        }
        if (!(payload.get("sources") instanceof List<?> sources) || sources.size() > MAX_SOURCES
                || !sources.stream().allMatch(s -> s instanceof Map<?, ?> m && m.get("lineageId") instanceof String && m.get("agreementId") instanceof String)) {
            return Result.failure("the provenance statement is malformed: sources must be a list of at most %d objects with lineageId and agreementId"
                    .formatted(MAX_SOURCES));
        }
        return Result.success(new Read(payload, opened.getContent().keyId(), jws));
    }

    public static boolean verifies(Read read, ECKey publicKey) {
        if (!Curve.P_256.equals(publicKey.getCurve())) {
            return false;
        }
        try {
            return read.jws().verify(new ECDSAVerifier(publicKey.toPublicJWK()));
        } catch (JOSEException e) {
            return false;
        }
    }
}
