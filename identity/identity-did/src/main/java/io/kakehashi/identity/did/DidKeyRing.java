package io.kakehashi.identity.did;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.json.JsonCodec;
import io.kakehashi.identity.keys.VaultKeyPairs;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signing keys of one DID, kept in the vault under one alias: the active EC P-256 key (made with Bouncy Castle at
 * first use) and the keys it replaced, each published until the tokens it signed have expired. Rotating makes a new
 * active key; the old one stays in the DID document for the given grace period, so a peer can still verify tokens
 * signed just before the rotation.
 * <p>
 * The vault entry is a JSON object {@code {"active":{"key":<JWK>,"created":<instant>},"retired":[{"key":<JWK>,
 * "created":…,"publishedUntil":<instant>}]}}, written and read by {@link JsonCodec}: the entry's format is this class's
 * own and reads back the same whatever a runtime does to its {@code TypeManager} mapper. Thread-safe: every
 * read-modify-write is serialised per instance.
 */
public class DidKeyRing {

    private final Vault vault;
    private final String alias;
    private State state;

    /** A key of the ring with its life dates. */
    public record RingKey(ECKey key, Instant created, Optional<Instant> publishedUntil) {
    }

    private record State(RingKey active, List<RingKey> retired) {
    }

    public DidKeyRing(Vault vault, String alias) {
        this.vault = vault;
        this.alias = alias;
    }

    /**
     * Loads the ring from the vault, or makes its first key and stores it; later calls return the loaded ring.
     */
    public synchronized Result<ECKey> ensure(Instant now) {
        if (state != null) {
            return Result.success(state.active().key());
        }
        var stored = vault.resolveSecret(alias);
        if (stored != null) {
            var parsed = parse(stored);
            if (parsed.failed()) {
                return parsed.mapFailure();
            }
            state = parsed.getContent();
            return Result.success(state.active().key());
        }
        return generate()
                .compose(key -> save(new State(new RingKey(key, now, Optional.empty()), List.of())))
                .map(ignored -> state.active().key());
    }

    /** The key new tokens are signed with. */
    public synchronized ECKey activeKey() {
        requireLoaded();
        return state.active().key();
    }

    /** When the active key was made. */
    public synchronized Instant activeSince() {
        requireLoaded();
        return state.active().created();
    }

    /**
     * The keys a DID document publishes at {@code now}: the active one first, then every retired key whose grace period
     * has not ended. Public halves only.
     */
    public synchronized List<ECKey> publishedKeys(Instant now) {
        requireLoaded();
        var keys = new ArrayList<ECKey>();
        keys.add(state.active().key().toPublicJWK());
        state.retired().stream()
                .filter(k -> k.publishedUntil().map(now::isBefore).orElse(false))
                .forEach(k -> keys.add(k.key().toPublicJWK()));
        return keys;
    }

    /** A key of the ring (active or still published) by its key id, with its private half. */
    public synchronized Optional<ECKey> find(String keyId, Instant now) {
        requireLoaded();
        if (state.active().key().getKeyID().equals(keyId)) {
            return Optional.of(state.active().key());
        }
        return state.retired().stream()
                .filter(k -> k.key().getKeyID().equals(keyId) && k.publishedUntil().map(now::isBefore).orElse(false))
                .map(RingKey::key)
                .findFirst();
    }

    /**
     * Makes a new active key. The replaced key stays published for {@code gracePeriod} (at least the longest lifetime
     * of a token it may have signed); keys whose grace period is over are dropped from the vault entry.
     */
    public synchronized Result<ECKey> rotate(Instant now, Duration gracePeriod) {
        requireLoaded();
        return generate().compose(key -> {
            var retired = new ArrayList<RingKey>();
            state.retired().stream().filter(k -> k.publishedUntil().map(now::isBefore).orElse(false)).forEach(retired::add);
            var old = state.active();
            retired.add(new RingKey(old.key(), old.created(), Optional.of(now.plus(gracePeriod))));
            return save(new State(new RingKey(key, now, Optional.empty()), retired)).map(ignored -> key);
        });
    }

    /** Makes a fresh EC P-256 key pair with Bouncy Castle; its key id is its RFC 7638 thumbprint. */
    public static Result<ECKey> generate() {
        return VaultKeyPairs.generate();
    }

    private void requireLoaded() {
        if (state == null) {
            throw new IllegalStateException("the key ring '%s' is not loaded; call ensure() first".formatted(alias));
        }
    }

    private Result<Void> save(State next) {
        try {
            var json = new LinkedHashMap<String, Object>();
            json.put("active", toJson(next.active()));
            json.put("retired", next.retired().stream().map(DidKeyRing::toJson).toList());
            var stored = vault.storeSecret(alias, JsonCodec.writer().writeValueAsString(json));
            if (stored.succeeded()) {
                state = next;
            }
            return stored;
        } catch (JsonProcessingException e) {
            return Result.failure("cannot write the key ring: " + e.getMessage());
        }
    }

    private static Map<String, Object> toJson(RingKey key) {
        var json = new LinkedHashMap<String, Object>();
        json.put("key", key.key().toJSONObject());
        json.put("created", key.created().toString());
        key.publishedUntil().ifPresent(until -> json.put("publishedUntil", until.toString()));
        return json;
    }

    @SuppressWarnings("unchecked")
    private Result<State> parse(String stored) {
        try {
            Map<String, Object> json = JsonCodec.reader().forType(Map.class).readValue(stored);
            var active = ringKey((Map<String, Object>) json.get("active"));
            var retired = new ArrayList<RingKey>();
            for (var entry : (List<Map<String, Object>>) json.getOrDefault("retired", List.of())) {
                retired.add(ringKey(entry));
            }
            return Result.success(new State(active, retired));
        } catch (JsonProcessingException | ParseException | RuntimeException e) {
            return Result.failure("vault entry '%s' is not a Kakehashi DID key ring: %s".formatted(alias, e.getMessage()));
        }
    }

    @SuppressWarnings("unchecked")
    private static RingKey ringKey(Map<String, Object> json) throws ParseException {
        var key = ECKey.parse((Map<String, Object>) json.get("key"));
        if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
            throw new ParseException("not a private EC P-256 key", 0);
        }
        var until = (String) json.get("publishedUntil");
        return new RingKey(key, Instant.parse((String) json.get("created")), Optional.ofNullable(until).map(Instant::parse));
    }
}
