package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetEvent;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.catalog.ContractDefinitionResolverImpl;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.contract.spi.offer.store.ContractDefinitionStore;
import org.eclipse.edc.connector.controlplane.policy.spi.store.PolicyDefinitionStore;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The DSP catalog paged from the catalog's ordered asset index and described from the graph: provides
 * {@link DatasetResolver} as a {@link GraphDatasetResolver} over a {@link PagedDatasetResolver}, which falls back to
 * EDC's resolver where it cannot answer itself.
 * <p>
 * Injecting the resolver this extension also provides makes EDC's dependency graph start it after EDC's catalog core
 * (the other provider) and before every user of the resolver (which depend on all providers), so the wrapped
 * resolver is the one the DSP catalog service gets. EDC logs once that the resolver was replaced. The access-policy
 * decision stays EDC's {@code ContractDefinitionResolverImpl}, built here as EDC's catalog core builds it (EDC does
 * not register it as a service), with the runtime's policy engine — Kakehashi's decision log included.
 */
@Extension(DspCatalogFromGraphExtension.NAME)
@Provides(DatasetResolver.class)
public class DspCatalogFromGraphExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DSP catalog from the graph";

    @Inject
    private DatasetResolver stockResolver;

    @Inject
    private DcatCatalogStore store;

    @Inject
    private AssetIndex assetIndex;

    @Inject
    private ContractDefinitionStore contractDefinitionStore;

    @Inject
    private PolicyDefinitionStore policyDefinitionStore;

    @Inject
    private PolicyEngine policyEngine;

    @Inject
    private DistributionResolver distributionResolver;

    @Inject
    private CriterionOperatorRegistry criterionOperatorRegistry;

    @Inject
    private EventRouter eventRouter;

    public static final String REFILL_KEY = "kakehashi.catalog.dsp.refill-interval";

    @Setting(key = REFILL_KEY, defaultValue = "PT10M",
            description = "How often the DSP catalog's ordered asset index is read again in full from the asset index, to pick up "
                    + "assets changed without an event in this process (another replica sharing PostgreSQL) (ISO-8601 duration)")
    private String refillInterval;

    private final OrderedAssetIndex index = new OrderedAssetIndex();
    private Monitor monitor;
    private Duration refillEvery;
    private ScheduledExecutorService refiller;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        refillEvery = SettingValues.positiveDuration(REFILL_KEY, refillInterval)
                .orElseThrow(f -> new EdcException("Catalog: " + f.getFailureDetail()));
        eventRouter.registerSync(AssetEvent.class, new OrderedAssetIndexSynchroniser(assetIndex, index, monitor));
        var definitions = new ContractDefinitionResolverImpl(contractDefinitionStore, policyEngine, policyDefinitionStore);
        var paged = new PagedDatasetResolver(stockResolver, definitions, index, assetIndex, policyDefinitionStore,
                distributionResolver, criterionOperatorRegistry, monitor);
        context.registerService(DatasetResolver.class, new GraphDatasetResolver(paged, store));
    }

    @Override
    public void start() {
        // the asset index is ready (and its SQL schema made) only once every extension is initialised; until the
        // ordered index is filled, catalog requests are answered by EDC's resolver
        fill();
        refiller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-dsp-catalog-refill");
            thread.setDaemon(true);
            return thread;
        });
        refiller.scheduleWithFixedDelay(() -> {
            try {
                fill();
            } catch (RuntimeException e) {
                monitor.warning("DSP catalog: reading the asset index again failed; the catalog keeps its order and tries at the next interval", e);
            }
        }, refillEvery.toMillis(), refillEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        if (refiller != null) {
            refiller.shutdownNow();
        }
    }

    private void fill() {
        try (var all = assetIndex.queryAssets(QuerySpec.max())) {
            var size = index.fill(all);
            monitor.debug(() -> "DSP catalog: ordered asset index filled with %d asset(s)".formatted(size));
        }
    }
}
