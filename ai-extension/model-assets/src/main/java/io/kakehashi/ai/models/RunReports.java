package io.kakehashi.ai.models;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.kakehashi.core.spi.jws.SignedStatement;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signed report of one model run that the holder's connector sends the vendor: a compact JWS, ES256, {@code typ}
 * {@value #TYPE}, {@code kid} the holder's key (its DID verification method). The payload is the count and nothing of
 * the data: {@code agreementId} (DSP id), {@code vendorId}, {@code holderId}, {@code assetId} (the vendor's model
 * asset), {@code run} (its number under the agreement, from 1), {@code runId}, {@code time} (when it was admitted) and
 * {@code modelSha256} (the digest of the model that ran). A member outside these is refused, so a report cannot carry
 * more. Stateless and thread-safe.
 */
public final class RunReports {

    public static final String TYPE = "kakehashi-model-run+jws";
    private static final String NOUN = "the run report";
    private static final Set<String> MEMBERS = Set.of("agreementId", "vendorId", "holderId", "assetId", "run", "runId", "time", "modelSha256");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private RunReports() {
    }

    /** A report as read, not yet verified. */
    public record Read(Map<String, Object> payload, String keyId, JWSObject jws) {
        public String text(String name) {
            return payload.get(name) instanceof String s ? s : null;
        }

        public long run() {
            return ((Number) payload.get("run")).longValue();
        }

        public Instant time() {
            return Instant.parse(text("time"));
        }
    }

    public static Map<String, Object> payload(SealedModel model, String holderId, ModelRun run) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("agreementId", model.agreementId());
        payload.put("vendorId", model.vendorId());
        payload.put("holderId", holderId);
        payload.put("assetId", model.assetId());
        payload.put("run", run.run());
        payload.put("runId", run.runId());
        payload.put("time", run.time().toString());
        payload.put("modelSha256", run.modelSha256());
        return payload;
    }

    public static String sign(Map<String, Object> payload, ECKey key) {
        return SignedStatement.sign(TYPE, payload, key, NOUN);
    }

    /** Reads a report; a failure names what is wrong with it. */
    public static Result<Read> read(String compact) {
        var opened = SignedStatement.open(compact, TYPE, NOUN);
        if (opened.failed()) {
            return opened.mapFailure();
        }
        var payload = opened.getContent().payload();
        var jws = opened.getContent().jws();
        for (var name : payload.keySet()) {
            if (!MEMBERS.contains(name)) {
                return Result.failure("the run report holds '%s', which a run report does not carry".formatted(name));
            }
        }
        for (var name : MEMBERS) {
            if (name.equals("run")) {
                continue;
            }
            if (!(payload.get(name) instanceof String value) || value.isBlank() || value.length() > 512) {
                return Result.failure("the run report is malformed: %s is missing".formatted(name));
            }
        }
        if (!(payload.get("run") instanceof Number run) || run.doubleValue() != Math.rint(run.doubleValue()) || run.longValue() < 1) {
            return Result.failure("the run report is malformed: run must be a whole number from 1");
        }
        if (!SHA256.matcher((String) payload.get("modelSha256")).matches()) {
            return Result.failure("the run report is malformed: modelSha256 must be 64 lowercase hex characters");
        }
        try {
            Instant.parse((String) payload.get("time"));
        } catch (DateTimeParseException e) {
            return Result.failure("the run report is malformed: time must be an ISO 8601 instant");
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
