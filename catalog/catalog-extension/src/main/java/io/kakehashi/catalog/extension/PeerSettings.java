package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.Peer;
import org.eclipse.edc.spi.result.Result;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Parsing of the federated catalog's peer list, each failure naming the key and the expected form, so that a bad
 * configuration stops the connector at start with a message a person can act on (durations and numbers are read by
 * core-spi's {@code SettingValues}). Stateless; thread-safe.
 */
final class PeerSettings {

    private PeerSettings() {
    }

    /**
     * Peers as {@code <participant id>=<DSP URL>}, separated by commas; blank means none. The URL must be absolute
     * http(s); ids must be distinct.
     */
    static Result<List<Peer>> peers(String key, String value) {
        var peers = new ArrayList<Peer>();
        if (value == null || value.isBlank()) {
            return Result.success(peers);
        }
        var ids = new HashSet<String>();
        for (var entry : value.split(",")) {
            var trimmed = entry.strip();
            var separator = trimmed.indexOf('=');
            if (separator <= 0 || separator == trimmed.length() - 1) {
                return Result.failure("setting '%s': each peer must be <participant id>=<DSP URL>, got '%s'".formatted(key, trimmed));
            }
            var id = trimmed.substring(0, separator).strip();
            var url = trimmed.substring(separator + 1).strip();
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                return Result.failure("setting '%s': peer %s has a malformed URL '%s'".formatted(key, id, url));
            }
            if (!uri.isAbsolute() || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return Result.failure("setting '%s': peer %s needs an absolute http(s) URL, got '%s'".formatted(key, id, url));
            }
            if (!ids.add(id)) {
                return Result.failure("setting '%s': peer %s is listed twice".formatted(key, id));
            }
            peers.add(new Peer(id, uri));
        }
        return Result.success(peers);
    }
}
