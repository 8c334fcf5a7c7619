package io.kakehashi.catalog.core;

import java.net.URI;
import java.util.Objects;

/**
 * A connector whose catalog the crawler copies. Immutable.
 *
 * @param id          the peer's participant id (the DSP counter-party id)
 * @param dspEndpoint the peer's DSP base URL (the counter-party address)
 */
public record Peer(String id, URI dspEndpoint) {
    public Peer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dspEndpoint, "dspEndpoint");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a peer id must not be blank");
        }
    }
}
