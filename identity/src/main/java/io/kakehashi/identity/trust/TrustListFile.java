package io.kakehashi.identity.trust;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A trust list kept in a JSON file that maps participant ids to public EC P-256 JWKs:
 * <pre>{ "machine-tool-maker": { "kty": "EC", "crv": "P-256", "x": "…", "y": "…" } }</pre>
 * The file is read again when its modification time changes, so peers can be added without a restart. A file that
 * cannot be parsed keeps the last good list in force and is reported once. A missing file trusts nobody.
 * <p>
 * Thread-safe.
 */
public class TrustListFile implements TrustedPeerKeys {

    private final Path file;
    private final Monitor monitor;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of());

    public TrustListFile(Path file, Monitor monitor) {
        this.file = file;
        this.monitor = monitor;
    }

    @Override
    public Optional<ECKey> keyOf(String participantId) {
        return Optional.ofNullable(current().keys().get(participantId));
    }

    /**
     * Parses a trust list document.
     */
    public static Result<Map<String, ECKey>> parse(String json) {
        try {
            var root = JSONObjectUtils.parse(json);
            var keys = new HashMap<String, ECKey>();
            for (var entry : root.entrySet()) {
                if (!(entry.getValue() instanceof Map<?, ?> jwk)) {
                    return Result.failure("peer '%s': the value must be a JWK object".formatted(entry.getKey()));
                }
                @SuppressWarnings("unchecked")
                var key = ECKey.parse((Map<String, Object>) jwk);
                if (key.isPrivate()) {
                    return Result.failure("peer '%s': the JWK holds a private key; a trust list takes public keys only".formatted(entry.getKey()));
                }
                if (!Curve.P_256.equals(key.getCurve())) {
                    return Result.failure("peer '%s': the key must be on curve P-256".formatted(entry.getKey()));
                }
                keys.put(entry.getKey(), key);
            }
            return Result.success(Map.copyOf(keys));
        } catch (ParseException e) {
            return Result.failure("not a trust list: " + e.getMessage());
        }
    }

    private Snapshot current() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
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
                    snapshot = new Snapshot(modified, snapshot.keys());
                    monitor.warning("Trust list %s ignored, the previous list stays in force: %s".formatted(file, parsed.getFailureDetail()));
                }
            } catch (IOException e) {
                monitor.warning("Trust list %s cannot be read: %s".formatted(file, e.getMessage()));
            }
            return snapshot;
        }
    }

    private record Snapshot(FileTime modified, Map<String, ECKey> keys) {
    }
}
