package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.MetadataFormat;
import io.kakehashi.catalog.profiles.MetadataParser;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.RDF;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a copy of each configured peer's DSP catalog in the {@link PeerCatalogStore}.
 * <p>
 * {@link #crawlDue()} starts a crawl of every peer that is due and not already being crawled, and returns at once:
 * each peer is asked on the crawler's own executor, page by page, under its own {@link CrawlerSettings#timeout()},
 * so a slow or hanging peer delays nobody else. A good answer (JSON-LD holding a {@code dcat:Catalog}) replaces
 * the peer's graph with its fetch time, after the DCAT metadata its datasets carry in {@code kh:dcat} is lifted onto
 * them ({@link EmbeddedMetadata}); a failure (error, timeout, garbage) is logged once, recorded with the
 * attempt time, and leaves the last good copy in place; the next attempt then waits
 * {@link CrawlerSettings#delayAfter(int)}, doubling up to the maximum. A scheduler calls {@link #crawlDue()}
 * periodically; tests call it directly with a controlled clock.
 * <p>
 * Thread-safe: the per-peer state is guarded by this object's lock; the store is transactional.
 */
public final class FederatedCatalogCrawler {

    private final Map<String, PeerState> peers = new LinkedHashMap<>();
    private final PeerCatalogFetcher fetcher;
    private final PeerCatalogStore store;
    private final CrawlerSettings settings;
    private final ExecutorService executor;
    private final Clock clock;
    private final Monitor monitor;
    private final MetadataParser parser = new MetadataParser();
    private final EmbeddedMetadata embedded = new EmbeddedMetadata();
    private final AtomicLong succeededCrawls = new AtomicLong();
    private final AtomicLong failedCrawls = new AtomicLong();

    /**
     * @param executor the crawler's own executor; fetches and parsing run on it, never on the caller's thread
     */
    public FederatedCatalogCrawler(List<Peer> peers, PeerCatalogFetcher fetcher, PeerCatalogStore store, CrawlerSettings settings,
                                   ExecutorService executor, Clock clock, Monitor monitor) {
        Objects.requireNonNull(peers, "peers").forEach(p -> {
            if (this.peers.put(p.id(), new PeerState(p)) != null) {
                throw new IllegalArgumentException("peer %s is configured twice".formatted(p.id()));
            }
        });
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /** The configured peers, in configuration order. */
    public List<Peer> peers() {
        synchronized (this) {
            return peers.values().stream().map(s -> s.peer).toList();
        }
    }

    /**
     * Starts a crawl of every due peer that is not being crawled already.
     *
     * @return one future per started crawl, completing (never exceptionally) when that peer's answer is stored or
     *         its failure recorded; for tests and for a one-off full crawl
     */
    public List<CompletableFuture<Result<Long>>> crawlDue() {
        var now = clock.instant();
        var started = new ArrayList<CompletableFuture<Result<Long>>>();
        synchronized (this) {
            for (var state : peers.values()) {
                if (!state.inFlight && !now.isBefore(state.nextDue)) {
                    state.inFlight = true;
                    started.add(crawl(state));
                }
            }
        }
        return started;
    }

    /** Crawls of a peer whose answer was stored, since this crawler was made; only grows. */
    public long succeededCrawls() {
        return succeededCrawls.get();
    }

    /** Crawls of a peer that failed (error, timeout, garbage, not storable); only grows. */
    public long failedCrawls() {
        return failedCrawls.get();
    }

    /** The peers whose last crawl failed. */
    public synchronized long unreachablePeers() {
        return peers.values().stream().filter(state -> state.failures > 0).count();
    }

    /** Consecutive failures of a peer so far (0 after a good answer). */
    public synchronized int failures(String peerId) {
        var state = peers.get(peerId);
        return state == null ? 0 : state.failures;
    }

    /** When the peer is next due. */
    public synchronized Instant nextDue(String peerId) {
        var state = peers.get(peerId);
        if (state == null) {
            throw new IllegalArgumentException("unknown peer " + peerId);
        }
        return state.nextDue;
    }

    private CompletableFuture<Result<Long>> crawl(PeerState state) {
        var peer = state.peer;
        var merged = ModelFactory.createDefaultModel();
        return CompletableFuture.supplyAsync(() -> page(peer, 0, merged), executor)
                .thenCompose(f -> f)
                .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> finish(state, merged, result, error));
    }

    // fetches the page at offset, then the next while pages come back full, up to maxDatasets
    private CompletableFuture<Result<Void>> page(Peer peer, int offset, Model merged) {
        CompletableFuture<Result<String>> answer;
        try {
            answer = fetcher.fetch(peer, offset, settings.pageSize());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Result.failure("the request could not be sent: " + e.getMessage()));
        }
        return answer.thenComposeAsync(result -> {
            if (result.failed()) {
                return CompletableFuture.completedFuture(Result.<Void>failure(result.getFailureDetail()));
            }
            var parsed = parser.parse(result.getContent(), MetadataFormat.JSON_LD, EmbeddedMetadata.datasetBase(peer));
            if (parsed.failed()) {
                return CompletableFuture.completedFuture(Result.<Void>failure("the answer is not a catalog: " + parsed.getFailureDetail()));
            }
            var model = parsed.getContent();
            var catalogs = model.listResourcesWithProperty(RDF.type, DCAT.Catalog).toList();
            if (catalogs.isEmpty()) {
                return CompletableFuture.completedFuture(Result.<Void>failure("the answer is not a catalog: it holds no dcat:Catalog"));
            }
            merged.add(model);
            var datasets = catalogs.stream().mapToLong(c -> c.listProperties(DCAT.dataset).toList().size()).sum();
            var next = offset + settings.pageSize();
            if (datasets >= settings.pageSize() && next < settings.maxDatasets()) {
                return page(peer, next, merged);
            }
            return CompletableFuture.completedFuture(Result.<Void>success(null));
        }, executor);
    }

    private Result<Long> finish(PeerState state, Model merged, Result<Void> result, Throwable error) {
        if (executor.isShutdown()) {
            // the connector is stopping: an interrupted crawl says nothing about the peer
            synchronized (this) {
                state.inFlight = false;
            }
            return Result.failure("the crawler was stopped");
        }
        var now = clock.instant();
        String failure = null;
        if (error != null) {
            var cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            failure = cause instanceof TimeoutException
                    ? "no complete answer within %d ms".formatted(settings.timeout().toMillis())
                    : "the crawl failed: " + cause;
        } else if (result.failed()) {
            failure = result.getFailureDetail();
        }
        try {
            if (failure == null) {
                var unreadable = embedded.lift(merged, EmbeddedMetadata.datasetBase(state.peer));
                if (unreadable > 0) {
                    monitor.warning("Catalog of peer %s: the DCAT metadata of %d dataset(s) could not be read; they are kept as the peer listed them"
                            .formatted(state.peer.id(), unreadable));
                }
                store.replace(state.peer, merged, now);
            } else {
                store.recordFailure(state.peer, now, failure);
                monitor.warning("Catalog of peer %s not refreshed (the last good copy is kept): %s".formatted(state.peer.id(), failure));
            }
        } catch (RuntimeException e) {
            failure = "the answer could not be stored: " + e.getMessage();
            monitor.severe("Catalog of peer %s could not be stored".formatted(state.peer.id()), e);
        }
        (failure == null ? succeededCrawls : failedCrawls).incrementAndGet();
        synchronized (this) {
            state.inFlight = false;
            state.failures = failure == null ? 0 : state.failures + 1;
            state.nextDue = now.plus(settings.delayAfter(state.failures));
        }
        return failure == null ? Result.success(merged.size()) : Result.failure(failure);
    }

    private static final class PeerState {
        private final Peer peer;
        private int failures;
        private boolean inFlight;
        private Instant nextDue = Instant.MIN;

        private PeerState(Peer peer) {
            this.peer = peer;
        }
    }
}
