package io.kakehashi.deletion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import io.kakehashi.core.spi.jws.SignedStatement;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signed form of a {@link DeletionReceipt}: a compact JWS, ES256, header {@code typ}
 * {@value #TYPE} and {@code kid} (the consumer's key id — with a DID, its verification method, {@code did:web:…#key}),
 * payload the receipt as JSON. Reading checks the form and every field and names the first that is wrong; verifying
 * checks the signature with a key the caller found. Stateless and thread-safe.
 */
public final class DeletionReceipts {

    public static final String TYPE = "kakehashi-deletion-receipt+jws";
    /** The most items a receipt may list. */
    public static final int MAX_ITEMS = 10_000;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> KINDS = Set.of("FILE", "COMPUTE_RESULT", "MODEL");
    private static final List<String> CAUSES = List.of(DeletionReceipt.DEADLINE, DeletionReceipt.TERMINATION, DeletionReceipt.CONSENT_WITHDRAWN);
    private static final int MAX_TEXT = 2048;
    private static final String NOUN = "the receipt";

    private DeletionReceipts() {
    }

    /** A receipt as read from its JWS, not yet verified: the key id that should verify it and the parsed JWS. */
    public record Read(DeletionReceipt receipt, String keyId, JWSObject jws) {
    }

    /** Signs the receipt with the consumer's private key (its {@code kid} goes into the header). */
    public static String sign(DeletionReceipt receipt, ECKey key) {
        return SignedStatement.sign(TYPE, toJson(receipt), key, NOUN);
    }

    /** The receipt's fields as JSON-ready maps, in a fixed order. */
    public static Map<String, Object> toJson(DeletionReceipt receipt) {
        var json = new LinkedHashMap<String, Object>();
        json.put("agreementId", receipt.agreementId());
        json.put("assetId", receipt.assetId());
        json.put("providerId", receipt.providerId());
        json.put("consumerId", receipt.consumerId());
        json.put("cause", receipt.cause());
        json.put("deadline", receipt.deadline() == null ? null : receipt.deadline().toString());
        json.put("deletedAt", receipt.deletedAt().toString());
        var items = new ArrayList<Map<String, Object>>();
        for (var item : receipt.items()) {
            var i = new LinkedHashMap<String, Object>();
            i.put("lineageId", item.lineageId());
            i.put("kind", item.kind());
            i.put("sha256", item.sha256());
            i.put("deleted", item.deleted());
            if (item.retained() != null) {
                i.put("retained", item.retained());
            }
            items.add(i);
        }
        json.put("items", items);
        if (receipt.subject() != null) {
            json.put("subject", receipt.subject());
        }
        return json;
    }

    /** Reads a receipt's JWS; a failure names what is wrong with it. */
    public static Result<Read> read(String compact) {
        return SignedStatement.open(compact, TYPE, NOUN)
                .compose(opened -> fromJson(opened.payload()).map(receipt -> new Read(receipt, opened.keyId(), opened.jws())));
    }

    /** Whether the receipt's signature verifies with the public key. */
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

    /** The SHA-256 of the receipt's compact form, hex: how decision logs name it. */
    public static String digest(String compact) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(compact.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result<DeletionReceipt> fromJson(Map<String, Object> json) {
        var problems = new ArrayList<String>();
        var agreementId = text(json, "agreementId", true, problems);
        var assetId = text(json, "assetId", false, problems);
        var providerId = text(json, "providerId", true, problems);
        var consumerId = text(json, "consumerId", true, problems);
        var cause = text(json, "cause", true, problems);
        if (cause != null && !CAUSES.contains(cause)) {
            problems.add("cause '%s' is not one of %s".formatted(cause, CAUSES));
        }
        var subject = text(json, "subject", false, problems);
        if (DeletionReceipt.CONSENT_WITHDRAWN.equals(cause) != (subject != null)) {
            problems.add("subject is given exactly when the cause is '%s'".formatted(DeletionReceipt.CONSENT_WITHDRAWN));
        } else if (subject != null && !SHA256.matcher(subject).matches()) {
            problems.add("subject is not 64 lowercase hex characters");
        }
        var deadline = instant(json, "deadline", false, problems);
        var deletedAt = instant(json, "deletedAt", true, problems);
        var items = new ArrayList<DeletionReceipt.Item>();
        if (!(json.get("items") instanceof List<?> list)) {
            problems.add("items is not a list");
        } else if (list.size() > MAX_ITEMS) {
            problems.add("items lists %d items, at most %d are allowed".formatted(list.size(), MAX_ITEMS));
        } else {
            for (var i = 0; i < list.size() && problems.isEmpty(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> raw)) {
                    problems.add("items[%d] is not an object".formatted(i));
                    break;
                }
                @SuppressWarnings("unchecked") var item = (Map<String, Object>) raw;
                var prefix = "items[%d].".formatted(i);
                var itemProblems = new ArrayList<String>();
                var lineageId = text(item, "lineageId", true, itemProblems);
                var kind = text(item, "kind", true, itemProblems);
                if (kind != null && !KINDS.contains(kind)) {
                    itemProblems.add("kind '%s' is not one of %s".formatted(kind, KINDS));
                }
                var sha256 = text(item, "sha256", false, itemProblems);
                if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                    itemProblems.add("sha256 is not 64 lowercase hex characters");
                }
                var retained = text(item, "retained", false, itemProblems);
                var deleted = item.get("deleted") instanceof Boolean flag && flag;
                if (!(item.get("deleted") instanceof Boolean)) {
                    itemProblems.add("deleted is not true or false");
                }
                itemProblems.forEach(problem -> problems.add(prefix + problem));
                if (itemProblems.isEmpty()) {
                    items.add(new DeletionReceipt.Item(lineageId, kind, sha256, deleted, retained));
                }
            }
        }
        if (!problems.isEmpty()) {
            return Result.failure("the receipt is malformed: " + String.join("; ", problems));
        }
        return Result.success(new DeletionReceipt(agreementId, assetId, providerId, consumerId, cause, deadline, deletedAt, items, subject));
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

    private static Instant instant(Map<String, Object> json, String name, boolean required, List<String> problems) {
        var text = text(json, name, required, problems);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(name + " is not an ISO 8601 instant");
            return null;
        }
    }
}
