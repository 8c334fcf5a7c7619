package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.eclipse.edc.connector.controlplane.catalog.spi.Catalog;
import org.eclipse.edc.connector.controlplane.catalog.spi.Dataset;
import org.eclipse.edc.connector.controlplane.catalog.spi.DatasetResolver;
import org.eclipse.edc.connector.controlplane.catalog.spi.Distribution;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participantcontext.spi.types.ParticipantContext;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.query.QuerySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class GraphDatasetResolverTest {

    private static final String TITLE = "http://purl.org/dc/terms/title";
    private DcatCatalogStore store;
    private GraphDatasetResolver resolver;

    @BeforeEach
    void setUp() {
        store = new DcatCatalogStore(CatalogDatasets.inMemory(), DataProfiles.shipped(), Clock.systemUTC());
        store.put("machines", manufacturing()).orElseThrow(f -> new AssertionError(f.getFailureDetail()));
        resolver = new GraphDatasetResolver(new StockResolver(), store);
    }

    /** Stands in for EDC's resolver: it has already filtered by access policy and paged. */
    private static class StockResolver implements DatasetResolver {
        static Dataset dataset(String id) {
            return Dataset.Builder.newInstance().id(id)
                    .offer("offer-" + id, Policy.Builder.newInstance().build())
                    .distribution(Distribution.Builder.newInstance().format("HttpData-PULL").dataService(org.eclipse.edc.connector.controlplane.catalog.spi.DataService.Builder.newInstance().id("ds").build()).build())
                    .property("https://w3id.org/edc/v0.0.1/ns/name", id)
                    .build();
        }

        @Override
        public Stream<Dataset> query(ParticipantContext participantContext, ParticipantAgent agent, QuerySpec querySpec, String protocol) {
            return Stream.of(dataset("machines"), dataset("plain"));
        }

        @Override
        public Dataset getById(ParticipantContext participantContext, ParticipantAgent agent, String id, String protocol) {
            return id.equals("missing") ? null : dataset(id);
        }
    }

    @Test
    void query_whenAnAssetHasMetadata_shouldAddItsDcatPropertiesAndKeepOffersAndDistributions() {
        var datasets = resolver.query(null, null, QuerySpec.none(), "dataspace-protocol-http:2025-1").toList();

        var machines = datasets.get(0);
        assertThat((List<Object>) machines.getProperty(TITLE)).contains(Map.of("@value", "工作機械稼働データ", "@language", "ja"));
        assertThat(machines.getProperty("https://w3id.org/edc/v0.0.1/ns/name")).isEqualTo("machines");
        assertThat(machines.getOffers()).containsOnlyKeys("offer-machines");
        assertThat(machines.getDistributions()).hasSize(1);
        assertThat(machines.getProperties()).doesNotContainKey("http://www.w3.org/ns/dcat#distribution");
    }

    @Test
    void query_whenAnAssetHasNoMetadata_shouldPassItOnUnchanged() {
        var plain = resolver.query(null, null, QuerySpec.none(), "p").toList().get(1);

        assertThat(plain.getProperties()).containsOnlyKeys("https://w3id.org/edc/v0.0.1/ns/name");
    }

    @Test
    void getById_shouldDescribeOrPassOnNull() {
        assertThat(resolver.getById(null, null, "machines", "p").getProperty(TITLE)).isNotNull();
        assertThat(resolver.getById(null, null, "missing", "p")).isNull();
    }

    @Test
    void query_whenTheEntryIsASubCatalog_shouldLeaveIt() {
        var catalog = Catalog.Builder.newInstance().id("machines").build();
        var wrapping = new GraphDatasetResolver(new StockResolver() {
            @Override
            public Stream<Dataset> query(ParticipantContext participantContext, ParticipantAgent agent, QuerySpec querySpec, String protocol) {
                return Stream.of(catalog);
            }
        }, store);

        assertThat(wrapping.query(null, null, QuerySpec.none(), "p").toList()).containsExactly(catalog);
    }
}
