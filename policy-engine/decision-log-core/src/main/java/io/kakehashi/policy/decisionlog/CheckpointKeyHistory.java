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
import com.nimbusds.jose.jwk.JWK;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keys a decision log has signed its checkpoints with, in the order it took them, and how each one was handed
 * over to the next. When the connector's key rotates while it still holds the replaced key (the DID key ring keeps it
 * for its grace period), the replaced key signs a hand-over: a compact JWS, header {@code typ} {@value #TYPE} and the
 * old key's {@code kid}, payload the canonical JSON {@code {"kid": <new kid>, "jwk": <new public JWK>,
 * "previousKid": <old kid>, "time": …}}. An auditor who has checked the first key once (against the DID document at
 * the time) can then follow every later key through these hand-overs, without trusting the connector for which key
 * was valid when. A key taken without one (the old key was already gone) is {@link Status#UNENDORSED}: usable, but
 * the auditor must check it some other way. Stateless and thread-safe.
 */
public final class CheckpointKeyHistory {

    public static final String TYPE = "kakehashi-checkpoint-key+jws";

    /**
     * How a key of the history came to be trusted.
     */
    public enum Status {
        /** the first key: trusted by checking it against the connector's published identity */
        FIRST,
        /** handed over by a verified hand-over signed with the key before it */
        ENDORSED,
        /** taken without a hand-over (the previous key was no longer held) */
        UNENDORSED,
        /** unusable: not an EC P-256 public key, or a hand-over that does not verify; checkpoints naming it fail */
        INVALID
    }

    /**
     * A key of the history as read: its record, its public key (null when {@link Status#INVALID}), its status, and
     * why when it is invalid.
     */
    public record Entry(CheckpointKey record, ECKey publicKey, Status status, String problem) {
    }

    /**
     * When a key was used: the first and last checkpoint that names it.
     */
    public record Use(Checkpoint first, Checkpoint last, int checkpoints) {
    }

    private CheckpointKeyHistory() {
    }

    /**
     * The key id a signing key is known by: its own {@code kid}, or else its RFC 7638 thumbprint.
     */
    public static ECKey withKeyId(ECKey key) {
        if (key.getKeyID() != null && !key.getKeyID().isBlank()) {
            return key;
        }
        try {
            return new ECKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key's thumbprint: " + e.getMessage(), e);
        }
    }

    /**
     * The record of a key the log is about to sign with, handed over by {@code previousKey} (with its private half)
     * when it is given and is the last key of the history.
     */
    public static CheckpointKey introduce(ECKey key, Optional<CheckpointKey> last, Optional<ECKey> previousKey, Instant now) {
        var kid = withKeyId(key).getKeyID();
        var publicJwk = new ECKey.Builder(key.toPublicJWK()).keyID(kid).build();
        var time = now.truncatedTo(ChronoUnit.MILLIS);
        String endorsement = null;
        if (last.isPresent() && previousKey.isPresent() && previousKey.get().isPrivate() && samePublicKey(last.get(), previousKey.get())) {
            var payload = JsonCanonicalizer.mapper().createObjectNode();
            payload.put("kid", kid);
            payload.set("jwk", JsonCanonicalizer.parse(publicJwk.toJSONString()));
            payload.put("previousKid", last.get().kid());
            payload.put("time", time.toString());
            var header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID(last.get().kid()).build();
            var jws = new JWSObject(header, new Payload(JsonCanonicalizer.canonicalize(payload).getBytes(StandardCharsets.UTF_8)));
            try {
                jws.sign(new ECDSASigner(previousKey.get()));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the key hand-over: " + e.getMessage(), e);
            }
            endorsement = jws.serialize();
        }
        return new CheckpointKey(kid, JsonCanonicalizer.canonicalize(JsonCanonicalizer.parse(publicJwk.toJSONString())), time, endorsement);
    }

    /**
     * Keeps the signing key's public half in the store's history, before the first checkpoint is signed with it; a
     * key the history holds already is left as it is. A new key is handed over by the last key of the history when
     * {@code held} still gives that key's private half by its key id.
     *
     * @param key  the signing key, with a key id ({@link #withKeyId})
     * @param held the keys the identity still holds, by key id
     * @return the record added, or empty when the key was kept already
     */
    public static Optional<CheckpointKey> take(CheckpointStore store, ECKey key, Function<String, Optional<ECKey>> held, Instant now) {
        var history = store.keys();
        if (history.stream().anyMatch(kept -> kept.kid().equals(key.getKeyID()))) {
            return Optional.empty();
        }
        var last = history.isEmpty() ? Optional.<CheckpointKey>empty() : Optional.of(history.get(history.size() - 1));
        var record = introduce(key, last, last.flatMap(previous -> held.apply(previous.kid())), now);
        store.saveKey(record);
        return Optional.of(record);
    }

    /**
     * Reads a history (oldest first) and checks each hand-over against the key before it.
     */
    public static List<Entry> read(List<CheckpointKey> records) {
        var result = new ArrayList<Entry>(records.size());
        Entry previous = null;
        for (var record : records) {
            var entry = read(record, previous, result.isEmpty());
            result.add(entry);
            previous = entry;
        }
        return result;
    }

    /**
     * The usable keys of a history by key id.
     */
    public static Map<String, Entry> byKeyId(List<Entry> history) {
        var map = new LinkedHashMap<String, Entry>();
        history.forEach(entry -> map.putIfAbsent(entry.record().kid(), entry));
        return map;
    }

    /**
     * The key id a checkpoint's JWS header names, if it names one.
     */
    public static Optional<String> keyId(Checkpoint checkpoint) {
        try {
            return Optional.ofNullable(JWSObject.parse(checkpoint.jws()).getHeader().getKeyID());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /**
     * For each key id the checkpoints name, the first and last of them (checkpoints in sequence order).
     */
    public static Map<String, Use> uses(List<Checkpoint> checkpoints) {
        var uses = new LinkedHashMap<String, Use>();
        for (var checkpoint : checkpoints) {
            keyId(checkpoint).ifPresent(kid -> uses.merge(kid, new Use(checkpoint, checkpoint, 1),
                    (old, next) -> new Use(old.first(), next.last(), old.checkpoints() + 1)));
        }
        return uses;
    }

    private static Entry read(CheckpointKey record, Entry previous, boolean first) {
        ECKey key;
        try {
            var jwk = JWK.parse(record.publicJwk());
            if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.isPrivate()) {
                return new Entry(record, null, Status.INVALID, "key '%s' is not an EC P-256 public key".formatted(record.kid()));
            }
            key = ec;
        } catch (ParseException e) {
            return new Entry(record, null, Status.INVALID, "key '%s' is not a JWK: %s".formatted(record.kid(), e.getMessage()));
        }
        if (first) {
            return record.endorsement() == null ? new Entry(record, key, Status.FIRST, null)
                    : new Entry(record, null, Status.INVALID, "key '%s' is the first key but carries a hand-over".formatted(record.kid()));
        }
        if (record.endorsement() == null) {
            return new Entry(record, key, Status.UNENDORSED, null);
        }
        var problem = checkHandOver(record, key, previous);
        return problem == null ? new Entry(record, key, Status.ENDORSED, null) : new Entry(record, null, Status.INVALID, problem);
    }

    private static String checkHandOver(CheckpointKey record, ECKey key, Entry previous) {
        if (previous.publicKey() == null) {
            return "key '%s' is handed over by '%s', which is itself unusable".formatted(record.kid(), previous.record().kid());
        }
        try {
            var jws = JWSObject.parse(record.endorsement());
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !previous.record().kid().equals(jws.getHeader().getKeyID())
                    || !jws.verify(new ECDSAVerifier(previous.publicKey()))) {
                return "the hand-over of key '%s' is not signed by the key before it, '%s'".formatted(record.kid(), previous.record().kid());
            }
            var payload = JsonCanonicalizer.parse(jws.getPayload().toString());
            var named = JWK.parse(JsonCanonicalizer.mapper().writeValueAsString(payload.get("jwk")));
            if (!record.kid().equals(payload.path("kid").asText(null)) || !previous.record().kid().equals(payload.path("previousKid").asText(null))
                    || !named.toPublicJWK().computeThumbprint().equals(key.computeThumbprint())) {
                return "the hand-over signed by '%s' names another key than '%s'".formatted(previous.record().kid(), record.kid());
            }
            return null;
        } catch (ParseException | JOSEException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return "the hand-over of key '%s' cannot be read: %s".formatted(record.kid(), e.getMessage());
        }
    }

    private static boolean samePublicKey(CheckpointKey record, ECKey key) {
        try {
            return JWK.parse(record.publicJwk()).computeThumbprint().equals(key.toPublicJWK().computeThumbprint());
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }
}
