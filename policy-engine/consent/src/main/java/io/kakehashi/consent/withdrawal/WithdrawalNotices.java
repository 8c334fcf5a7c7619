package io.kakehashi.consent.withdrawal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.kakehashi.core.spi.jws.SignedStatement;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The signed form of a {@link WithdrawalNotice}: a compact JWS, ES256, header {@code typ} {@value #TYPE} and {@code kid}
 * (the provider's key id — with a DID, its verification method), payload the notice as JSON; the same form as decision
 * 0040's deletion receipt, signed by the other side. Reading checks the form and every field and names the first that
 * is wrong; verifying checks the signature with a key the caller found. Stateless and thread-safe.
 */
public final class WithdrawalNotices {

    public static final String TYPE = "kakehashi-consent-withdrawal+jws";
    private static final String NOUN = "the notice";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final int MAX_TEXT = 2048;

    private WithdrawalNotices() {
    }

    /** A notice as read, not yet verified: the key id that should verify it and the parsed JWS. */
    public record Read(WithdrawalNotice notice, String keyId, JWSObject jws) {
    }

    public static String sign(WithdrawalNotice notice, ECKey key) {
        return SignedStatement.sign(TYPE, toJson(notice), key, NOUN);
    }

    public static Map<String, Object> toJson(WithdrawalNotice n) {
        var json = new LinkedHashMap<String, Object>();
        json.put("agreementId", n.agreementId());
        json.put("assetId", n.assetId());
        json.put("providerId", n.providerId());
        json.put("consumerId", n.consumerId());
        json.put("subjectField", n.subjectField());
        json.put("salt", n.salt());
        json.put("subject", n.subject());
        json.put("withdrawnAt", n.withdrawnAt().toString());
        return json;
    }

    public static Result<Read> read(String compact) {
        var opened = SignedStatement.open(compact, TYPE, NOUN);
        if (opened.failed()) {
            return opened.mapFailure();
        }
        var payload = opened.getContent().payload();
        var jws = opened.getContent().jws();
        var problems = new ArrayList<String>();
        var agreementId = text(payload, "agreementId", true, problems);
        var assetId = text(payload, "assetId", false, problems);
        var providerId = text(payload, "providerId", true, problems);
        var consumerId = text(payload, "consumerId", true, problems);
        var subjectField = text(payload, "subjectField", true, problems);
        var salt = text(payload, "salt", true, problems);
        if (salt != null && !HEX32.matcher(salt).matches()) {
            problems.add("salt is not 32 lowercase hex characters");
        }
        var subject = text(payload, "subject", true, problems);
        if (subject != null && !HEX64.matcher(subject).matches()) {
            problems.add("subject is not 64 lowercase hex characters");
        }
        var withdrawnAt = text(payload, "withdrawnAt", true, problems);
        Instant at = null;
        if (withdrawnAt != null) {
            try {
                at = Instant.parse(withdrawnAt);
            } catch (DateTimeParseException e) {
                problems.add("withdrawnAt is not an ISO 8601 instant");
            }
        }
        if (!problems.isEmpty()) {
            return Result.failure("the notice is malformed: " + String.join("; ", problems));
        }
        return Result.success(new Read(new WithdrawalNotice(agreementId, assetId, providerId, consumerId, subjectField, salt, subject, at),
                opened.getContent().keyId(), jws));
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

    private static String text(Map<String, Object> json, String name, boolean required, List<String> problems) {
        var value = json.get(name);
        if (value == null) {
            if (required) {
                problems.add(name + " is missing");
            }
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add(name + " is not a non-empty string");
            return null;
        }
        if (text.length() > MAX_TEXT) {
            problems.add("%s is longer than %d characters".formatted(name, MAX_TEXT));
            return null;
        }
        return text;
    }
}
