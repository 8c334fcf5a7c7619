package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.catalog.DatasetResolverImpl;
import org.eclipse.edc.connector.controlplane.catalog.spi.ContractDefinitionResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.ResolvedContractDefinitions;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.defaults.storage.assetindex.InMemoryAssetIndex;
import org.eclipse.edc.connector.controlplane.defaults.storage.policydefinition.InMemoryPolicyDefinitionStore;
import org.eclipse.edc.connector.controlplane.policy.spi.PolicyDefinition;
import org.eclipse.edc.connector.controlplane.query.asset.AssetPropertyLookup;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The DSP catalog's dataset resolution alone, in one JVM, without HTTP, tokens or JSON-LD: EDC 0.15.1's
 * {@code DatasetResolverImpl} next to Kakehashi's resolver ({@link GraphDatasetResolver} over
 * {@link PagedDatasetResolver}), over the same in-memory asset index, for the first page, a page in the middle and
 * the last page, with one contract definition offering every asset and, separately, one whose selector picks a tenth
 * of them by a property. Not a test; speed is not asserted anywhere.
 * <p>
 * System properties: {@code bench.sizes} (default {@code 10000,100000}), {@code bench.runs} (default 30),
 * {@code bench.page} (default 50).
 */
public final class DspCatalogPagingBenchmark {

    private static final String SECTOR = "https://w3id.org/kakehashi/ns#sector";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";

    private DspCatalogPagingBenchmark() {
    }

    public static void main(String[] args) {
        var sizes = Arrays.stream(System.getProperty("bench.sizes", "10000,100000").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        var runs = Integer.getInteger("bench.runs", 30);
        var pageSize = Integer.getInteger("bench.page", 50);
        System.out.printf("DSP catalog resolution: EDC 0.15.1's resolver vs Kakehashi's, in memory, %d runs per cell after %d warm-up, page %d;"
                + " JVM max heap %d MB; %d CPUs%n", runs, Math.max(3, runs / 3), pageSize, Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-9s %-18s %-8s %12s %12s %8s%n", "assets", "definition", "page", "EDC p50 ms", "Kakehashi", "ratio");
        for (var size : sizes) {
            for (var selective : List.of(false, true)) {
                run(size, selective, runs, pageSize);
            }
        }
    }

    private static void run(int size, boolean selective, int runs, int pageSize) {
        var operators = CriterionOperatorRegistryImpl.ofDefaults();
        operators.registerPropertyLookup(new AssetPropertyLookup());
        var assets = new InMemoryAssetIndex(operators);
        var sectors = List.of("mobility", "manufacturing", "plant-safety", "smart-life", "bio-materials",
                "energy", "logistics", "agriculture", "health", "construction");
        for (int i = 0; i < size; i++) {
            assets.create(Asset.Builder.newInstance().id("asset-%07d".formatted(i)).participantContextId("provider")
                    .property("https://w3id.org/edc/v0.0.1/ns/name", "asset " + i)
                    .property(SECTOR, sectors.get(i % sectors.size()))
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:1/" + i).build())
                    .build());
        }
        var policies = new InMemoryPolicyDefinitionStore(operators);
        policies.create(PolicyDefinition.Builder.newInstance().id("open")
                .policy(Policy.Builder.newInstance().permission(Permission.Builder.newInstance().build()).build()).build());
        var definition = ContractDefinition.Builder.newInstance().id("offer").accessPolicyId("open").contractPolicyId("open")
                .assetsSelector(selective ? List.of(new Criterion(SECTOR, "=", "manufacturing")) : List.of()).build();
        ContractDefinitionResolver definitions = (pc, agent) -> new ResolvedContractDefinitions(List.of(definition));
        DistributionResolver distributions = (protocol, asset) -> List.of();
        DatasetResolver edc = new DatasetResolverImpl(definitions, assets, policies, distributions, operators);
        var index = new OrderedAssetIndex();
        index.fill(assets.queryAssets(QuerySpec.max()));
        var store = new DcatCatalogStore(CatalogDatasets.inMemory(), DataProfiles.shipped(), Clock.systemUTC());
        DatasetResolver kakehashi = new GraphDatasetResolver(new PagedDatasetResolver(edc, definitions, index, assets, policies,
                distributions, operators, new Monitor() { }), store);
        var context = ParticipantContext.Builder.newInstance().participantContextId("provider").identity("provider").build();

        var offered = selective ? size / sectors.size() : size;
        var pages = List.of(0, offered / 2, offered - pageSize);
        var names = List.of("first", "middle", "last");
        for (int p = 0; p < pages.size(); p++) {
            var spec = QuerySpec.Builder.newInstance().offset(pages.get(p)).limit(pageSize).build();
            var edcTimes = new ArrayList<Double>();
            var ourTimes = new ArrayList<Double>();
            for (int i = -Math.max(3, runs / 3); i < runs; i++) {
                // alternate who goes first, as the connector benchmarks do
                var e = i % 2 == 0 ? time(edc, context, spec, pageSize) : -1;
                var k = time(kakehashi, context, spec, pageSize);
                if (e < 0) {
                    e = time(edc, context, spec, pageSize);
                }
                if (i >= 0) {
                    edcTimes.add(e);
                    ourTimes.add(k);
                }
            }
            var edcMedian = median(edcTimes);
            var ourMedian = median(ourTimes);
            System.out.printf(Locale.ROOT, "%-9d %-18s %-8s %12.2f %12.3f %8.4f%n", size, selective ? "selector 1/10" : "empty selector",
                    names.get(p), edcMedian, ourMedian, ourMedian / edcMedian);
        }
    }

    private static double time(DatasetResolver resolver, ParticipantContext context, QuerySpec spec, int expected) {
        var start = System.nanoTime();
        var page = resolver.query(context, null, spec, PROTOCOL).toList();
        var millis = (System.nanoTime() - start) / 1e6;
        if (page.size() != expected) {
            throw new IllegalStateException("a page held %d datasets, not %d".formatted(page.size(), expected));
        }
        return millis;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
