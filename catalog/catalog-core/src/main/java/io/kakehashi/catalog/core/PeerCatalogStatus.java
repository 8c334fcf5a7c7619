package io.kakehashi.catalog.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the catalog knows about one peer's copy. Immutable.
 *
 * @param peerId        the peer
 * @param graphIri      the named graph holding its catalog
 * @param fetchedAt     when the copy held was fetched; empty if no good answer has arrived yet
 * @param lastAttemptAt when the peer was last asked
 * @param lastError     why the last attempt failed; empty if it succeeded
 */
public record PeerCatalogStatus(String peerId, String graphIri, Optional<Instant> fetchedAt, Optional<Instant> lastAttemptAt,
                                Optional<String> lastError) {
    public PeerCatalogStatus {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(graphIri, "graphIri");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
    }
}
