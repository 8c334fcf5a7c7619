package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.store.sql.PostgresRemoteJobStore;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.store.sql.PostgresComputeJobStore;
import io.kakehashi.ai.store.sql.PostgresEpsilonLedger;
import org.eclipse.edc.boot.system.injection.ObjectFactory;
import org.eclipse.edc.junit.extensions.DependencyInjectionExtension;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

@ExtendWith(DependencyInjectionExtension.class)
class ComputeStoresExtensionTest {

    @BeforeEach
    void clock(ServiceExtensionContext context) {
        context.registerService(Clock.class, Clock.systemUTC());
    }

    @Test
    void initialize_withoutADatasource_shouldKeepJobsAndBudgetsInMemory(ServiceExtensionContext context, ObjectFactory factory) {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of()));

        factory.constructInstance(ComputeStoresExtension.class).initialize(context);

        assertThat(context.getService(ComputeJobStore.class)).isInstanceOf(InMemoryComputeJobStore.class);
        assertThat(context.getService(EpsilonLedger.class)).isInstanceOf(InMemoryEpsilonLedger.class);
        assertThat(context.getService(RemoteJobStore.class)).isInstanceOf(InMemoryRemoteJobStore.class);
        assertThat(context.getService(io.kakehashi.ai.spi.RemoteTrainingStore.class)).isInstanceOf(io.kakehashi.ai.core.InMemoryRemoteTrainingStore.class);
    }

    @Test
    void initialize_withADatasourceUrl_shouldUsePostgres(ServiceExtensionContext context, ObjectFactory factory) {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(ComputeStoresExtension.DATASOURCE_URL_KEY, "jdbc:postgresql://127.0.0.1:5432/x")));
        context.registerService(DataSourceRegistry.class, mock(DataSourceRegistry.class));
        context.registerService(TransactionContext.class, mock(TransactionContext.class));

        factory.constructInstance(ComputeStoresExtension.class).initialize(context);

        assertThat(context.getService(ComputeJobStore.class)).isInstanceOf(PostgresComputeJobStore.class);
        assertThat(context.getService(EpsilonLedger.class)).isInstanceOf(PostgresEpsilonLedger.class);
        assertThat(context.getService(RemoteJobStore.class)).isInstanceOf(PostgresRemoteJobStore.class);
        assertThat(context.getService(io.kakehashi.ai.spi.RemoteTrainingStore.class)).isInstanceOf(io.kakehashi.ai.store.sql.PostgresRemoteTrainingStore.class);
    }

    @Test
    void initialize_withADatasourceUrlButNoTransactionContext_shouldRefuseToStart(ServiceExtensionContext context) throws Exception {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(ComputeStoresExtension.DATASOURCE_URL_KEY, "jdbc:postgresql://127.0.0.1:5432/x")));
        var extension = new ComputeStoresExtension();
        var registry = ComputeStoresExtension.class.getDeclaredField("dataSourceRegistry");
        registry.setAccessible(true);
        registry.set(extension, mock(DataSourceRegistry.class));

        assertThatThrownBy(() -> extension.initialize(context)).isInstanceOf(EdcException.class).hasMessageContaining("transaction context");
    }

    @Test
    void initialize_withADatasourceUrlButNoRegistry_shouldRefuseToStart(ServiceExtensionContext context) {
        when(context.getConfig()).thenReturn(ConfigFactory.fromMap(Map.of(ComputeStoresExtension.DATASOURCE_URL_KEY, "jdbc:postgresql://127.0.0.1:5432/x")));
        // built without injection: the harness would hand it a stand-in registry
        var extension = new ComputeStoresExtension();

        assertThatThrownBy(() -> extension.initialize(context)).isInstanceOf(EdcException.class).hasMessageContaining(ComputeStoresExtension.DATASOURCE_URL_KEY);
    }
}
