package io.kakehashi.catalog.extension;

import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetCreated;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetDeleted;
import org.eclipse.edc.connector.controlplane.asset.spi.event.AssetUpdated;
import org.eclipse.edc.connector.controlplane.catalog.DatasetResolverImpl;
import org.eclipse.edc.connector.controlplane.catalog.spi.Catalog;
import org.eclipse.edc.connector.controlplane.catalog.spi.ContractDefinitionResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.Dataset;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.DistributionResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.ResolvedContractDefinitions;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractDefinition;
import org.eclipse.edc.connector.controlplane.defaults.storage.assetindex.InMemoryAssetIndex;
import org.eclipse.edc.connector.controlplane.defaults.storage.policydefinition.InMemoryPolicyDefinitionStore;
import org.eclipse.edc.connector.controlplane.policy.spi.PolicyDefinition;
import org.eclipse.edc.connector.controlplane.query.asset.AssetPropertyLookup;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.PolicyType;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paged resolver against EDC's own {@link DatasetResolverImpl} over the same in-memory stores: same datasets and
 * offers, but in asset-id order and paged without a walk.
 */
class PagedDatasetResolverTest {

    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";
    private static final String ID = EDC + "id";
    private static final String SECTOR = "https://w3id.org/kakehashi/ns#sector";
    private static final String PROTOCOL = "dataspace-protocol-http:2025-1";

    private final CriterionOperatorRegistry operators = CriterionOperatorRegistryImpl.ofDefaults();
    private InMemoryAssetIndex assets;
    private InMemoryPolicyDefinitionStore policies;
    private final List<ContractDefinition> admitted = new ArrayList<>();
    private final AtomicInteger stockCalls = new AtomicInteger();
    private DatasetResolver edc;
    private OrderedAssetIndex index;
    private PagedDatasetResolver resolver;
    private final ParticipantContext context = participantContext("provider");

    @BeforeEach
    void setUp() {
        operators.registerPropertyLookup(new AssetPropertyLookup());
        assets = new InMemoryAssetIndex(operators);
        policies = new InMemoryPolicyDefinitionStore(operators);
        policies.create(PolicyDefinition.Builder.newInstance().id("open").policy(Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().build()).build()).build());
        policies.create(PolicyDefinition.Builder.newInstance().id("other").policy(Policy.Builder.newInstance().build()).build());
        ContractDefinitionResolver definitions = (pc, agent) -> new ResolvedContractDefinitions(List.copyOf(admitted));
        DistributionResolver distributions = (protocol, asset) -> List.of();
        edc = new DatasetResolverImpl(definitions, assets, policies, distributions, operators);
        DatasetResolver countingStock = new DatasetResolver() {
            @Override
            public Stream<Dataset> query(ParticipantContext pc, ParticipantAgent agent, QuerySpec spec, String protocol) {
                stockCalls.incrementAndGet();
                return edc.query(pc, agent, spec, protocol);
            }

            @Override
            public Dataset getById(ParticipantContext pc, ParticipantAgent agent, String id, String protocol) {
                stockCalls.incrementAndGet();
                return edc.getById(pc, agent, id, protocol);
            }
        };
        index = new OrderedAssetIndex();
        resolver = new PagedDatasetResolver(countingStock, definitions, index, assets, policies, distributions, operators,
                new Monitor() { });
    }

    private static ParticipantContext participantContext(String id) {
        return ParticipantContext.Builder.newInstance().participantContextId(id).identity(id).build();
    }

    private void asset(String id, String sector) {
        asset(id, sector, "provider");
    }

    private void asset(String id, String sector, String participantContextId) {
        var builder = Asset.Builder.newInstance().id(id).participantContextId(participantContextId)
                .dataAddress(DataAddress.Builder.newInstance().type("HttpData").build());
        if (sector != null) {
            builder.property(SECTOR, sector);
        }
        assets.create(builder.build());
    }

    private void definition(String id, String contractPolicy, Criterion... selector) {
        admitted.add(ContractDefinition.Builder.newInstance().id(id).accessPolicyId("open").contractPolicyId(contractPolicy)
                .assetsSelector(List.of(selector)).build());
    }

    private void fill() {
        index.fill(assets.queryAssets(QuerySpec.max()));
    }

    private List<Dataset> page(int offset, int limit, Criterion... filter) {
        var spec = QuerySpec.Builder.newInstance().offset(offset).limit(limit).filter(List.of(filter)).build();
        return resolver.query(context, null, spec, PROTOCOL).toList();
    }

    /** EDC's answer in full, as dataset id → its offer ids, sorted by dataset id. */
    private Map<String, List<String>> edcAnswer(Criterion... filter) {
        var spec = QuerySpec.Builder.newInstance().offset(0).limit(Integer.MAX_VALUE).filter(List.of(filter)).build();
        return offers(edc.query(context, null, spec, PROTOCOL).toList());
    }

    private Map<String, List<String>> allPages(int pageSize, Criterion... filter) {
        var all = new ArrayList<Dataset>();
        for (int offset = 0; ; offset += pageSize) {
            var page = page(offset, pageSize, filter);
            all.addAll(page);
            if (page.size() < pageSize) {
                return offers(all);
            }
        }
    }

    private static Map<String, List<String>> offers(List<Dataset> datasets) {
        return datasets.stream().collect(Collectors.toMap(Dataset::getId,
                d -> d.getOffers().keySet().stream().map(PagedDatasetResolverTest::withoutUuid).sorted().toList(), (a, b) -> a, TreeMap::new));
    }

    // an offer id is definition:asset:random UUID (ContractOfferId), so two resolvers agree up to the last part
    private static String withoutUuid(String offerId) {
        return offerId.substring(0, offerId.lastIndexOf(':'));
    }

    private static List<String> ids(List<Dataset> datasets) {
        return datasets.stream().map(Dataset::getId).toList();
    }

    @Nested
    class Paging {

        @BeforeEach
        void assets() {
            IntStream.range(0, 120).forEach(i -> asset("asset-%03d".formatted(i), null));
            definition("all", "open");
            fill();
        }

        @Test
        void query_whenFirstPage_shouldReturnTheLowestIdsInOrderWithoutEdcsWalk() {
            var page = page(0, 50);

            assertThat(ids(page)).hasSize(50).startsWith("asset-000", "asset-001").endsWith("asset-049")
                    .isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(stockCalls).hasValue(0);
        }

        @Test
        void query_whenDeepOrLastPage_shouldContinueTheOrder() {
            assertThat(ids(page(100, 50))).hasSize(20).startsWith("asset-100").endsWith("asset-119");
            assertThat(page(120, 50)).isEmpty();
        }

        @Test
        void query_whenEveryPageIsRead_shouldGiveExactlyEdcsDatasetsAndOffers() {
            assertThat(allPages(7)).isEqualTo(edcAnswer()).hasSize(120);
        }

        @Test
        void query_shouldBuildOffersAsEdcDoes() {
            var dataset = page(0, 1).get(0);
            var expected = edc.getById(context, null, "asset-000", PROTOCOL);

            assertThat(offers(List.of(dataset))).isEqualTo(offers(List.of(expected)));
            assertThat(dataset.getOffers().values()).extracting(Policy::getPermissions)
                    .containsExactlyElementsOf(expected.getOffers().values().stream().map(Policy::getPermissions).toList());
            assertThat(dataset.getOffers().values()).allSatisfy(p -> assertThat(p.getType()).isEqualTo(PolicyType.OFFER));
            assertThat(dataset.getProperties()).isEqualTo(expected.getProperties());
        }

        @Test
        void query_whenTheIndexIsNotFilledYet_shouldAskEdc() {
            var unfilled = new PagedDatasetResolver(edc, (pc, agent) -> new ResolvedContractDefinitions(List.copyOf(admitted)),
                    new OrderedAssetIndex(), assets, policies, (p, a) -> List.of(), operators, new Monitor() { });

            assertThat(unfilled.query(context, null, QuerySpec.Builder.newInstance().limit(500).build(), PROTOCOL)).hasSize(120);
        }
    }

    @Nested
    class Selectors {

        @BeforeEach
        void assets() {
            asset("a", "mobility");
            asset("b", "manufacturing");
            asset("c", "mobility");
            asset("d", null);
            asset("e", "manufacturing");
            asset("x", "mobility", "someone-else");
        }

        @Test
        void query_whenSelectorsUseIdAndPropertiesWithEqualsAndIn_shouldOfferEachAssetWhatEdcOffers() {
            definition("mobility", "open", new Criterion(SECTOR, "=", "mobility"));
            definition("picked", "other", new Criterion(ID, "in", List.of("b", "c", "zz")));
            definition("by-field", "open", new Criterion("id", "=", "e"));
            fill();

            var answer = allPages(2);
            assertThat(answer).isEqualTo(edcAnswer());
            assertThat(answer).containsOnlyKeys("a", "b", "c", "e");
            assertThat(answer.get("c")).hasSize(2);
        }

        @Test
        void query_whenTheRequestFilters_shouldApplyItAsEdcDoes() {
            definition("all", "open");
            fill();

            var filter = new Criterion(SECTOR, "=", "manufacturing");
            assertThat(allPages(1, filter)).isEqualTo(edcAnswer(filter)).containsOnlyKeys("b", "e");
        }

        @Test
        void query_whenOtherOperators_shouldStillAgreeWithEdc() {
            definition("like", "open", new Criterion(SECTOR, "like", "m%"));
            definition("not", "other", new Criterion(SECTOR, "!=", "mobility"));
            fill();

            assertThat(allPages(3)).isEqualTo(edcAnswer()).containsOnlyKeys("a", "b", "c", "e");
            assertThat(stockCalls).hasValue(0);
        }

        @Test
        void query_whenAContractPolicyIsMissing_shouldGiveNoOfferForIt() {
            definition("gone", "no-such-policy");
            definition("mobility", "open", new Criterion(SECTOR, "=", "mobility"));
            fill();

            assertThat(allPages(10)).isEqualTo(edcAnswer()).containsOnlyKeys("a", "c");
        }

        @Test
        void query_whenNoDefinitionIsAdmitted_shouldBeEmpty() {
            fill();

            assertThat(page(0, 50)).isEmpty();
        }

        @Test
        void query_whenAnOperatorIsUnknown_shouldLeaveTheRequestToEdc() {
            definition("odd", "open", new Criterion(SECTOR, "near", "mobility"));
            fill();

            try {
                page(0, 50);
            } catch (IllegalArgumentException expected) {
                // EDC's walk refuses the operator as it always does
            }
            assertThat(stockCalls).hasValue(1);
        }

        @Test
        void query_whenTheSelectorReadsALongPropertyTheIndexLeftOut_shouldDecideOnTheFullAsset() {
            var longText = "x".repeat(OrderedAssetIndex.MAX_KEPT_STRING_LENGTH + 1);
            assets.create(Asset.Builder.newInstance().id("long").participantContextId("provider").property(EDC + "doc", longText)
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").build()).build());
            definition("doc", "open", new Criterion(EDC + "doc", "=", longText));
            fill();

            assertThat(index.get("long").leftOut()).containsExactly(EDC + "doc");
            assertThat(allPages(5)).isEqualTo(edcAnswer()).containsOnlyKeys("long");
        }

        @Test
        void getById_shouldAgreeWithQuery() {
            definition("mobility", "open", new Criterion(SECTOR, "=", "mobility"));
            fill();

            var listed = offers(page(0, 50));
            for (var id : List.of("a", "b", "c", "d", "e", "x", "unknown")) {
                var one = resolver.getById(context, null, id, PROTOCOL);
                if (listed.containsKey(id)) {
                    assertThat(offers(List.of(one))).isEqualTo(Map.of(id, listed.get(id)));
                } else {
                    assertThat(one).as(id).isNull();
                }
            }
        }

        @Test
        void query_whenRandomSelectorsAndFilters_shouldAlwaysAgreeWithEdc() {
            var random = new Random(5);
            var sectors = List.of("mobility", "manufacturing", "plant-safety");
            IntStream.range(0, 200).forEach(i -> asset("r" + random.nextInt(1000) + "-" + i,
                    random.nextInt(4) == 0 ? null : sectors.get(random.nextInt(3))));
            definition("s0", "open", new Criterion(SECTOR, "=", sectors.get(0)));
            definition("s1", "other", new Criterion(SECTOR, "in", List.of(sectors.get(1), sectors.get(2))));
            definition("ids", "open", new Criterion(ID, "in", List.of("a", "b", "c")));
            fill();

            for (var sector : sectors) {
                var filter = new Criterion(SECTOR, "=", sector);
                assertThat(allPages(1 + random.nextInt(30), filter)).as(sector).isEqualTo(edcAnswer(filter));
            }
            assertThat(allPages(13)).isEqualTo(edcAnswer());
        }
    }

    @Nested
    class CatalogAssets {

        @Test
        void query_whenTheAssetIsACatalog_shouldBuildASubCatalogAsEdcDoes() {
            assets.create(Asset.Builder.newInstance().id("sub").participantContextId("provider")
                    .property(Asset.PROPERTY_IS_CATALOG, true)
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").property(EDC + "baseUrl", "http://127.0.0.1:1/catalog").build())
                    .build());
            definition("all", "open");
            fill();

            var dataset = page(0, 5).get(0);
            var expected = (Catalog) edc.getById(context, null, "sub", PROTOCOL);

            assertThat(dataset).isInstanceOf(Catalog.class);
            assertThat(((Catalog) dataset).getDataServices().get(0).getEndpointUrl()).isEqualTo("http://127.0.0.1:1/catalog")
                    .isEqualTo(expected.getDataServices().get(0).getEndpointUrl());
        }
    }

    @Nested
    class KeptInStep {

        private OrderedAssetIndexSynchroniser synchroniser;

        @BeforeEach
        void setUp() {
            synchroniser = new OrderedAssetIndexSynchroniser(assets, index, new Monitor() { });
            definition("mobility", "open", new Criterion(SECTOR, "=", "mobility"));
            fill();
        }

        private void publish(Event event) {
            synchroniser.on(EventEnvelope.Builder.newInstance().id("e").at(1_767_600_000_000L).payload(event).build());
        }

        @Test
        void on_whenAssetsAreCreatedUpdatedAndDeleted_shouldChangeTheNextPage() {
            asset("m1", "mobility");
            publish(AssetCreated.Builder.newInstance().assetId("m1").build());
            assertThat(ids(page(0, 50))).containsExactly("m1");

            assets.updateAsset(Asset.Builder.newInstance().id("m1").participantContextId("provider").property(SECTOR, "manufacturing")
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").build()).build());
            publish(AssetUpdated.Builder.newInstance().assetId("m1").build());
            assertThat(page(0, 50)).isEmpty();

            asset("m2", "mobility");
            publish(AssetCreated.Builder.newInstance().assetId("m2").build());
            assets.deleteById("m2");
            publish(AssetDeleted.Builder.newInstance().assetId("m2").build());
            assertThat(page(0, 50)).isEmpty();
            assertThat(index.size()).isEqualTo(1);
        }

        @Test
        void fill_whenAnAssetWasWrittenWithoutAnEvent_shouldListItFromTheNextFillOn() {
            asset("m1", "mobility"); // as another replica or a direct index write would: no event here
            assertThat(page(0, 50)).isEmpty();

            fill();

            assertThat(ids(page(0, 50))).containsExactly("m1");
        }

        @Test
        void fill_whenEventsChangeAssetsWhileItReads_shouldKeepWhatTheEventsWrote() {
            asset("m1", "mobility");
            asset("m2", "mobility");
            var created = Asset.Builder.newInstance().id("m3").participantContextId("provider").property(SECTOR, "mobility")
                    .dataAddress(DataAddress.Builder.newInstance().type("HttpData").build()).build();

            // the read returns m1 and m2 as they were; meanwhile m1 is deleted and m3 created, each with its event
            index.fill(assets.queryAssets(QuerySpec.max()).toList().stream().sorted(Comparator.comparing(Asset::getId)).peek(asset -> {
                if (asset.getId().equals("m1")) {
                    assets.deleteById("m1");
                    publish(AssetDeleted.Builder.newInstance().assetId("m1").build());
                    assets.create(created);
                    publish(AssetCreated.Builder.newInstance().assetId("m3").build());
                }
            }));

            assertThat(index.get("m1")).isNull();
            assertThat(ids(page(0, 50))).containsExactly("m2", "m3");
        }

        @Test
        void fill_whenAssetsWentAwayMeanwhile_shouldDropTheirEntries() {
            asset("m1", "mobility");
            publish(AssetCreated.Builder.newInstance().assetId("m1").build());
            assets.deleteById("m1");

            fill();

            assertThat(index.get("m1")).isNull();
            assertThat(page(0, 50)).isEmpty();
        }
    }
}
