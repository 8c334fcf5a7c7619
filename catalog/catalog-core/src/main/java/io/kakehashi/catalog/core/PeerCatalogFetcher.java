package io.kakehashi.catalog.core;

import org.eclipse.edc.spi.result.Result;

import java.util.concurrent.CompletableFuture;

/**
 * Asks one peer for one page of its DSP catalog, with the connector's own identity. The EDC implementation sends a
 * {@code CatalogRequestMessage} through EDC's dispatcher; tests use fakes.
 * <p>
 * Implementations must be safe for concurrent use (several peers are asked at once) and should not block the
 * calling thread; the crawler also guards against those that do.
 */
public interface PeerCatalogFetcher {

    /**
     * Requests the datasets {@code offset} to {@code offset + limit - 1} of the peer's catalog.
     *
     * @return a future completing with the catalog page as JSON-LD without remote contexts (EDC's expanded form), or
     *         a failure (peer unreachable, refused, HTTP error)
     */
    CompletableFuture<Result<String>> fetch(Peer peer, int offset, int limit);
}
