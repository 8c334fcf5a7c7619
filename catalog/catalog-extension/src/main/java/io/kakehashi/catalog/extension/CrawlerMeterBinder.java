package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.FederatedCatalogCrawler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The federated catalog crawler's meters, read from the crawler at each scrape: crawls by {@code result} (success,
 * failure), the configured peers and those whose last crawl failed. No peer id becomes a tag. Thread-safe.
 */
final class CrawlerMeterBinder implements MeterBinder {

    private final FederatedCatalogCrawler crawler;

    CrawlerMeterBinder(FederatedCatalogCrawler crawler) {
        this.crawler = crawler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kakehashi.catalog.crawls", crawler, FederatedCatalogCrawler::succeededCrawls)
                .tag("result", "success").description("Peer catalog crawls, by result").register(registry);
        FunctionCounter.builder("kakehashi.catalog.crawls", crawler, FederatedCatalogCrawler::failedCrawls)
                .tag("result", "failure").description("Peer catalog crawls, by result").register(registry);
        Gauge.builder("kakehashi.catalog.peers", crawler, c -> c.peers().size())
                .description("Peers whose catalogs the crawler keeps").register(registry);
        Gauge.builder("kakehashi.catalog.peers.unreachable", crawler, FederatedCatalogCrawler::unreachablePeers)
                .description("Peers whose last crawl failed").register(registry);
    }
}
