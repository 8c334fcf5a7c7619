package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.CatalogSearch;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.core.PeerCatalogStore;
import io.kakehashi.catalog.core.SparqlLimits;
import io.kakehashi.catalog.core.SparqlQueryService;
import io.kakehashi.catalog.core.Tdb2Compaction;
import io.kakehashi.catalog.core.VocabularyGraph;
import io.kakehashi.catalog.profiles.DataProfiles;
import io.kakehashi.core.spi.settings.SettingValues;
import org.apache.jena.query.Dataset;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The catalog's Jena dataset and the services over it. TDB2 in {@value #DIRECTORY_KEY} by default, so the catalog
 * survives a restart; {@code memory} for throw-away runtimes. The vocabulary graph is (re)installed at start.
 */
@Extension(CatalogStoreExtension.NAME)
@Provides({DcatCatalogStore.class, PeerCatalogStore.class, SparqlQueryService.class, CatalogSearch.class})
public class CatalogStoreExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi catalog store";
    public static final String STORAGE_KEY = "kakehashi.catalog.storage";
    public static final String DIRECTORY_KEY = "kakehashi.catalog.dir";
    public static final String QUERY_TIMEOUT_KEY = "kakehashi.catalog.sparql.timeout";
    public static final String RESULT_LIMIT_KEY = "kakehashi.catalog.sparql.limit";
    public static final String COMPACTION_CHECK_KEY = "kakehashi.catalog.compaction.check-interval";
    public static final String COMPACTION_GROWTH_KEY = "kakehashi.catalog.compaction.growth-mb";

    @Setting(key = STORAGE_KEY, defaultValue = "tdb2", description = "Where the catalog graph lives: 'tdb2' (on disk, survives a restart) or 'memory'")
    private String storage;

    @Setting(key = DIRECTORY_KEY, defaultValue = "kakehashi-data/catalog", description = "Directory of the TDB2 catalog database")
    private String directory;

    @Setting(key = QUERY_TIMEOUT_KEY, defaultValue = "PT10S", description = "Longest a SPARQL query or search may run (ISO-8601 duration)")
    private String queryTimeout;

    @Setting(key = RESULT_LIMIT_KEY, defaultValue = "10000", description = "Most solutions a SPARQL SELECT or a search returns")
    private String resultLimit;

    @Setting(key = COMPACTION_CHECK_KEY, defaultValue = "PT1M",
            description = "How often the TDB2 database's growth is checked (ISO-8601 duration)")
    private String compactionCheck;

    @Setting(key = COMPACTION_GROWTH_KEY, defaultValue = "512",
            description = "Growth in MB since the last compaction that triggers one (each write transaction adds about 0.6 MB)")
    private String compactionGrowth;

    @Inject
    private Clock clock;

    private Dataset dataset;
    private Duration compactionCheckEvery;
    private Tdb2Compaction compaction;
    private ScheduledExecutorService compactor;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        compactionCheckEvery = SettingValues.positiveDuration(COMPACTION_CHECK_KEY, compactionCheck).orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
        var growthMb = SettingValues.integer(COMPACTION_GROWTH_KEY, compactionGrowth, 1, 1_000_000).orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
        var timeout = SettingValues.positiveDuration(QUERY_TIMEOUT_KEY, queryTimeout).orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
        var limit = SettingValues.integer(RESULT_LIMIT_KEY, resultLimit, 1, 1_000_000).orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
        var limits = new SparqlLimits(timeout, limit);
        switch (storage.strip()) {
            case "tdb2" -> {
                try {
                    dataset = CatalogDatasets.tdb2(Path.of(directory));
                } catch (RuntimeException e) {
                    throw new EdcException("Catalog: cannot open the TDB2 database in '%s' (setting '%s'): %s".formatted(directory, DIRECTORY_KEY, e.getMessage()), e);
                }
                compaction = new Tdb2Compaction(dataset, Path.of(directory), growthMb * 1024L * 1024L);
                monitor.info("Catalog: TDB2 in " + Path.of(directory).toAbsolutePath());
            }
            case "memory" -> {
                dataset = CatalogDatasets.inMemory();
                monitor.info("Catalog: in memory (lost on restart)");
            }
            default -> throw new EdcException("Catalog: setting '%s' must be 'tdb2' or 'memory', was '%s'".formatted(STORAGE_KEY, storage));
        }
        VocabularyGraph.install(dataset);
        context.registerService(DcatCatalogStore.class, new DcatCatalogStore(dataset, DataProfiles::shipped, clock));
        context.registerService(PeerCatalogStore.class, new PeerCatalogStore(dataset));
        context.registerService(SparqlQueryService.class, new SparqlQueryService(dataset, limits));
        context.registerService(CatalogSearch.class, new CatalogSearch(dataset, limits));
    }

    @Override
    public void start() {
        if (compaction == null) {
            return;
        }
        compactor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-catalog-compaction");
            thread.setDaemon(true);
            return thread;
        });
        compactor.scheduleWithFixedDelay(() -> {
            try {
                if (compaction.compactIfGrown()) {
                    monitor.debug("Catalog: TDB2 compacted");
                }
            } catch (RuntimeException e) {
                monitor.warning("Catalog: TDB2 compaction failed; it is tried again at the next check", e);
            }
        }, compactionCheckEvery.toMillis(), compactionCheckEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (compactor != null) {
            compactor.shutdownNow();
        }
        if (dataset != null) {
            CatalogDatasets.release(dataset);
        }
    }
}
