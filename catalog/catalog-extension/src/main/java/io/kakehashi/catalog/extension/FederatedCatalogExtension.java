package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CrawlerSettings;
import io.kakehashi.catalog.core.FederatedCatalogCrawler;
import io.kakehashi.catalog.core.PeerCatalogStore;
import io.kakehashi.core.spi.settings.SettingValues;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.participantcontext.single.spi.SingleParticipantContextSupplier;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The federated catalog crawler: asks each configured peer for its DSP catalog with the connector's identity,
 * every {@value #INTERVAL_KEY}, on its own threads, and keeps each answer in the peer's named graph. Without peers
 * it does nothing.
 */
@Extension(FederatedCatalogExtension.NAME)
public class FederatedCatalogExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi federated catalog crawler";
    public static final String PEERS_KEY = "kakehashi.catalog.crawler.peers";
    public static final String INTERVAL_KEY = "kakehashi.catalog.crawler.interval";
    public static final String TIMEOUT_KEY = "kakehashi.catalog.crawler.timeout";
    public static final String MAX_BACKOFF_KEY = "kakehashi.catalog.crawler.max-backoff";
    public static final String PAGE_SIZE_KEY = "kakehashi.catalog.crawler.page-size";
    public static final String MAX_DATASETS_KEY = "kakehashi.catalog.crawler.max-datasets";
    public static final String THREADS_KEY = "kakehashi.catalog.crawler.threads";
    public static final String PROTOCOL_KEY = "kakehashi.catalog.crawler.protocol";

    // how often due peers are looked for; a peer's own interval and backoff decide when it is asked
    private static final Duration MAX_TICK = Duration.ofSeconds(5);

    @Setting(key = PEERS_KEY, required = false, defaultValue = "",
            description = "Peers to crawl: <participant id>=<DSP URL>, comma-separated; empty: no crawling")
    private String peers;

    @Setting(key = INTERVAL_KEY, defaultValue = "PT10M", description = "How long after a good answer a peer is asked again")
    private String interval;

    @Setting(key = TIMEOUT_KEY, defaultValue = "PT30S", description = "Longest a crawl of one peer (all pages) may take")
    private String timeout;

    @Setting(key = MAX_BACKOFF_KEY, defaultValue = "PT2H", description = "Longest wait before asking a failing peer again (doubling from twice the interval)")
    private String maxBackoff;

    @Setting(key = PAGE_SIZE_KEY, defaultValue = "1000", description = "Datasets per catalog request")
    private String pageSize;

    @Setting(key = MAX_DATASETS_KEY, defaultValue = "100000", description = "Most datasets kept per peer")
    private String maxDatasets;

    @Setting(key = THREADS_KEY, defaultValue = "4", description = "Threads asking peers in parallel")
    private String threads;

    @Setting(key = PROTOCOL_KEY, defaultValue = "dataspace-protocol-http:2025-1", description = "DSP version spoken to peers")
    private String protocol;

    @Inject
    private RemoteMessageDispatcherRegistry dispatcher;

    @Inject
    private SingleParticipantContextSupplier participantContext;

    @Inject
    private JsonLd jsonLd;

    @Inject
    private PeerCatalogStore store;

    @Inject
    private Clock clock;
    @Inject(required = false)
    private MeterRegistry meterRegistry;

    private FederatedCatalogCrawler crawler;
    private Duration tick;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        var peerList = check(PeerSettings.peers(PEERS_KEY, peers));
        var settings = new CrawlerSettings(
                check(SettingValues.positiveDuration(INTERVAL_KEY, interval)),
                check(SettingValues.positiveDuration(TIMEOUT_KEY, timeout)),
                check(SettingValues.positiveDuration(MAX_BACKOFF_KEY, maxBackoff)),
                check(SettingValues.integer(PAGE_SIZE_KEY, pageSize, 1, 100_000)),
                check(SettingValues.integer(MAX_DATASETS_KEY, maxDatasets, 1, 10_000_000)));
        if (settings.maxDatasets() < settings.pageSize()) {
            throw new EdcException("Catalog: setting '%s' (%d) must be at least '%s' (%d)".formatted(MAX_DATASETS_KEY, settings.maxDatasets(), PAGE_SIZE_KEY, settings.pageSize()));
        }
        var threadCount = check(SettingValues.integer(THREADS_KEY, threads, 1, 64));
        if (protocol == null || protocol.isBlank()) {
            throw new EdcException("Catalog: setting '%s' must name a DSP protocol version".formatted(PROTOCOL_KEY));
        }
        if (peerList.isEmpty()) {
            monitor.info("Catalog crawler: no peers configured ('%s'), not crawling".formatted(PEERS_KEY));
            return;
        }
        var fetcher = new DspPeerCatalogFetcher(dispatcher, () -> {
            var result = participantContext.get();
            return result.succeeded() ? Result.success(result.getContent().getParticipantContextId()) : Result.failure(result.getFailureDetail());
        }, protocol.strip(), jsonLd);
        workers = Executors.newFixedThreadPool(threadCount, daemon("kakehashi-catalog-crawler"));
        crawler = new FederatedCatalogCrawler(peerList, fetcher, store, settings, workers, clock, monitor);
        if (meterRegistry != null) {
            new CrawlerMeterBinder(crawler).bindTo(meterRegistry);
        }
        tick = settings.interval().compareTo(MAX_TICK) < 0 ? settings.interval() : MAX_TICK;
    }

    @Override
    public void start() {
        if (crawler == null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("kakehashi-catalog-crawler-schedule"));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                crawler.crawlDue();
            } catch (RuntimeException e) {
                monitor.severe("Catalog crawler: a round could not be started", e);
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        monitor.info("Catalog crawler: %d peer(s)".formatted(crawler.peers().size()));
    }

    @Override
    public void shutdown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private static <T> T check(Result<T> result) {
        return result.orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
