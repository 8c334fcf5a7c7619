package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.core.ComputeTestFixtures;
import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.ResultReleases;
import io.kakehashi.policy.spi.ComputeJobCounter;
import io.kakehashi.policy.spi.ConsentFilter;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.boot.system.injection.ObjectFactory;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.AssetIndex;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.junit.extensions.DependencyInjectionExtension;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The extension built and initialised as EDC does it, with the connector's services it injects in place. */
@ExtendWith(DependencyInjectionExtension.class)
class ComputeJobsExtensionTest {

    @TempDir
    Path dir;
    private final InMemoryComputeJobStore store = new InMemoryComputeJobStore();
    private ComputeJobsExtension extension;

    @BeforeEach
    void services(ServiceExtensionContext context) throws Exception {
        var csv = Files.writeString(dir.resolve("machines.csv"), "region,operator,temperature\nAichi,alice,40\nAichi,alice,42\nOsaka,bob,50\n");
        DataAddressResolver addresses = assetId -> "machine-operation-data".equals(assetId)
                ? DataAddress.Builder.newInstance().type("File").property("path", csv.toString()).build() : null;
        context.registerService(PolicyEngine.class, ComputeTestFixtures.engine(store));
        context.registerService(ComputeJobStore.class, store);
        context.registerService(EpsilonLedger.class, new InMemoryEpsilonLedger());
        context.registerService(DataAddressResolver.class, addresses);
        // no asset declares personal data unless a test says so
        context.registerService(AssetIndex.class, mock(AssetIndex.class));
        context.registerService(Clock.class, Clock.systemUTC());
        // a real registry: the injection extension would otherwise hand the extension a mock without meters
        context.registerService(io.micrometer.core.instrument.MeterRegistry.class, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        // the test context answers a mock for an optional service nobody registered; the connector has none or the decision log's
        context.registerService(ResultReleases.class, ResultReleases.NONE);
    }

    @AfterEach
    void stop() {
        if (extension != null) {
            extension.shutdown();
        }
    }

    private void configure(ServiceExtensionContext context, Map<String, String> settings) {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(settings));
    }

    @Test
    void initialize_shouldProvideAJobServiceThatRunsSqlOnAFileAsset(ServiceExtensionContext context, ObjectFactory factory) throws Exception {
        configure(context, Map.of());
        extension = factory.constructInstance(ComputeJobsExtension.class);

        extension.initialize(context);

        var service = context.getService(ComputeJobService.class);
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics")));
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement,
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT region, count(*) AS n FROM asset GROUP BY region ORDER BY region"))).getContent();
        var done = service.whenFinished(job.id()).orElseThrow().get(30, TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(((JobOutput.Table) service.result(job.id()).orElseThrow()).rows()).containsExactly(List.of("Aichi", 2L), List.of("Osaka", 1L));
        assertThat(context.getService(ComputeJobCounter.class).jobsSoFar(agreement)).isEqualTo(1);
    }

    @Test
    void initialize_whenTheAssetNamesItsDataSubjectField_shouldGuardByDistinctSubjects(ServiceExtensionContext context, ObjectFactory factory)
            throws Exception {
        var assets = mock(AssetIndex.class);
        when(assets.findById("machine-operation-data")).thenReturn(Asset.Builder.newInstance().id("machine-operation-data")
                .property(ConsentFilter.SUBJECT_FIELD, "operator").build());
        context.registerService(AssetIndex.class, assets);
        configure(context, Map.of());
        extension = factory.constructInstance(ComputeJobsExtension.class);
        extension.initialize(context);
        var service = context.getService(ComputeJobService.class);
        var agreement = ComputeTestFixtures.agreement(useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics"),
                constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "2")));

        // two rows of Aichi, both alice's
        var job = service.submit(ComputeTestFixtures.VENDOR, agreement,
                JobDescription.of(JobType.SQL, Map.of("query", "SELECT region, count(*) AS n FROM asset WHERE region = 'Aichi' GROUP BY region"))).getContent();
        var done = service.whenFinished(job.id()).orElseThrow().get(30, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.reason()).contains("a group covers 1 data subject (operator); ai.minAggregation requires at least 2");
    }

    @ParameterizedTest
    @CsvSource({
            "kakehashi.ai.jobs.threads, 0",
            "kakehashi.ai.jobs.time-limit, ten minutes",
            "kakehashi.ai.jobs.time-limit, PT0S",
            "kakehashi.ai.jobs.memory-limit, 1048576",
            "kakehashi.ai.sql.threads, 100",
            "kakehashi.ai.sql.max-result-rows, 0",
            "kakehashi.ai.evaluation.max-model-bytes, -1",
            "kakehashi.ai.jobs.retained-results, 0"
    })
    void initialize_withABadSetting_shouldFailNamingTheKey(String key, String value, ServiceExtensionContext context, ObjectFactory factory) {
        configure(context, Map.of(key, value));
        extension = factory.constructInstance(ComputeJobsExtension.class);

        assertThatThrownBy(() -> extension.initialize(context)).isInstanceOf(EdcException.class).hasMessageStartingWith("Invalid setting '%s'".formatted(key));
    }

    @Test
    void initialize_withASettingUnderItsFormerCamelCaseKey_shouldUseItsValue_andWarnNamingBothKeys(ServiceExtensionContext context,
                                                                                                   ObjectFactory factory) {
        configure(context, Map.of("kakehashi.ai.jobs.timeLimit", "PT0S"));
        extension = factory.constructInstance(ComputeJobsExtension.class);

        // the old key's value is read (and checked under the new key): PT0S is refused, the default PT10M would not be
        assertThatThrownBy(() -> extension.initialize(context)).isInstanceOf(EdcException.class)
                .hasMessageStartingWith("Invalid setting 'kakehashi.ai.jobs.time-limit'");
        verify(context.getMonitor()).warning(argThat((String message) ->
                message.contains("'kakehashi.ai.jobs.timeLimit'") && message.contains("'kakehashi.ai.jobs.time-limit'")));
    }
}
