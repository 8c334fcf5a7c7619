package io.kakehashi.identity.trust;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.kakehashi.identity.spi.RegistryIdentifier;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * A trust list kept in a JSON file that maps participant ids to their public EC P-256 JWK, either alone or with the
 * claims the operator vouches for:
 * <pre>{
 *   "machine-tool-maker": { "kty": "EC", "crv": "P-256", "x": "…", "y": "…" },
 *   "ai-vendor": { "publicKey": { "kty": "EC", … }, "countryOfRegistration": "JP", "legalName": "AI Vendor K.K.",
 *                  "registryId": "JCN:1180301018771" }
 * }</pre>
 * The file is read again when it changes (modification time, identity or size), so peers can be added without a
 * restart. A file that
 * cannot be parsed keeps the last good list in force and is reported once. A missing file trusts nobody.
 * <p>
 * Thread-safe.
 */
public class TrustListFile implements TrustedPeers {

    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    private final Path file;
    private final Monitor monitor;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    public TrustListFile(Path file, Monitor monitor) {
        this.file = file;
        this.monitor = monitor;
    }

    @Override
    public Optional<TrustedPeer> find(String participantId) {
        return Optional.ofNullable(current().peers().get(participantId));
    }

    /**
     * Parses a trust list document.
     */
    public static Result<Map<String, TrustedPeer>> parse(String json) {
        try {
            var root = JSONObjectUtils.parse(json);
            var peers = new HashMap<String, TrustedPeer>();
            for (var entry : root.entrySet()) {
                var peer = parsePeer(entry.getKey(), entry.getValue());
                if (peer.failed()) {
                    return Result.failure(peer.getFailureDetail());
                }
                peers.put(entry.getKey(), peer.getContent());
            }
            return Result.success(Map.copyOf(peers));
        } catch (ParseException e) {
            return Result.failure("not a trust list: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Result<TrustedPeer> parsePeer(String id, Object value) throws ParseException {
        if (!(value instanceof Map<?, ?> object)) {
            return Result.failure("peer '%s': the value must be a JWK or an object with a publicKey".formatted(id));
        }
        var entry = (Map<String, Object>) object;
        var jwk = entry.containsKey("kty") ? entry : entry.get("publicKey");
        if (!(jwk instanceof Map<?, ?>)) {
            return Result.failure("peer '%s': no publicKey".formatted(id));
        }
        var key = ECKey.parse((Map<String, Object>) jwk);
        if (key.isPrivate()) {
            return Result.failure("peer '%s': the JWK holds a private key; a trust list takes public keys only".formatted(id));
        }
        if (!Curve.P_256.equals(key.getCurve())) {
            return Result.failure("peer '%s': the key must be on curve P-256".formatted(id));
        }
        if (entry == jwk) {
            return Result.success(TrustedPeer.withKeyOnly(key));
        }
        var country = entry.get("countryOfRegistration");
        if (country != null && !(country instanceof String code && ISO_COUNTRIES.contains(code))) {
            return Result.failure("peer '%s': countryOfRegistration '%s' is not an ISO 3166-1 alpha-2 code".formatted(id, country));
        }
        var legalName = entry.get("legalName");
        if (legalName != null && !(legalName instanceof String name && !name.isBlank())) {
            return Result.failure("peer '%s': legalName must be a non-empty string".formatted(id));
        }
        var registryId = entry.get("registryId");
        Optional<RegistryIdentifier> registry = Optional.empty();
        if (registryId != null) {
            var parsed = registryId instanceof String text ? RegistryIdentifier.parse(text) : Result.<RegistryIdentifier>failure("not a string");
            if (parsed.failed()) {
                return Result.failure("peer '%s': registryId: %s".formatted(id, parsed.getFailureDetail()));
            }
            registry = Optional.of(parsed.getContent());
        }
        return Result.success(new TrustedPeer(key, Optional.ofNullable((String) country), Optional.ofNullable((String) legalName), registry));
    }

    private Snapshot current() {
        Version modified;
        try {
            modified = Version.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return snapshot;
        } catch (IOException e) {
            monitor.warning("Trust list %s cannot be read: %s".formatted(file, e.getMessage()));
            return snapshot;
        }
        var known = snapshot;
        if (modified.equals(known.modified())) {
            return known;
        }
        synchronized (this) {
            if (modified.equals(snapshot.modified())) {
                return snapshot;
            }
            try {
                var parsed = parse(Files.readString(file));
                if (parsed.succeeded()) {
                    snapshot = new Snapshot(modified, parsed.getContent());
                    monitor.info("Trust list %s: %d peer(s)".formatted(file, parsed.getContent().size()));
                } else {
                    // remember the time so a broken file is reported once, and keep the last good keys
                    snapshot = new Snapshot(modified, snapshot.peers());
                    monitor.warning("Trust list %s ignored, the previous list stays in force: %s".formatted(file, parsed.getFailureDetail()));
                }
            } catch (IOException e) {
                monitor.warning("Trust list %s cannot be read: %s".formatted(file, e.getMessage()));
            }
            return snapshot;
        }
    }

    /**
     * What tells one state of the file from another: its modification time alone can stay the same across two quick
     * writes (file systems keep coarse times), so the file's identity (a new one after an atomic replace) and its
     * size count too.
     */
    private record Version(FileTime modified, Object fileKey, long size) {
        static Version of(BasicFileAttributes attributes) {
            return new Version(attributes.lastModifiedTime(), attributes.fileKey(), attributes.size());
        }
    }

    private record Snapshot(Version modified, Map<String, TrustedPeer> peers) {
    }
}
