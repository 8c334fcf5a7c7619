package io.kakehashi.catalog.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Which catalogs a search looks in. Immutable.
 *
 * @param ownCatalog   whether the connector's own assets are searched
 * @param peerIds      the peers whose copies are searched; empty means every peer
 * @param fetchedSince only peer copies fetched at or after this instant count ({@link Instant#EPOCH}: any age)
 */
public record SearchScope(boolean ownCatalog, Set<String> peerIds, Instant fetchedSince) {
    public SearchScope {
        peerIds = Set.copyOf(peerIds);
        Objects.requireNonNull(fetchedSince, "fetchedSince");
    }

    /** The own catalog and every peer's copy, however old. */
    public static SearchScope everything() {
        return new SearchScope(true, Set.of(), Instant.EPOCH);
    }

    /** Only the copies of the given peers (all peers if none given), fetched at or after {@code fetchedSince}. */
    public static SearchScope peers(Set<String> peerIds, Instant fetchedSince) {
        return new SearchScope(false, peerIds, fetchedSince);
    }
}
