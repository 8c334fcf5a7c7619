package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.core.InMemoryRemoteJobStore;
import io.kakehashi.ai.core.InMemoryRemoteTrainingStore;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import io.kakehashi.ai.store.sql.ComputeSchema;
import io.kakehashi.ai.store.sql.PostgresComputeJobStore;
import io.kakehashi.ai.store.sql.PostgresEpsilonLedger;
import io.kakehashi.ai.store.sql.PostgresRemoteJobStore;
import io.kakehashi.ai.store.sql.PostgresRemoteTrainingStore;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.time.Clock;

/**
 * Where compute jobs (those this connector runs for consumers, and those it asked providers to run), the federated
 * trainings it coordinates and the ε spent
 * per agreement live. Like the rest of the connector's state they follow the datasource (decision 0001): with
 * {@value #DATASOURCE_URL_KEY} set, PostgreSQL (tables created at start, shared by replicas, kept across restarts;
 * every call one EDC transaction on EDC's default data source, as EDC's own stores do); without it, in memory — the
 * embedded default, where a restart forgets the jobs and refills every ε budget, which the connector says at start.
 */
@Extension(ComputeStoresExtension.NAME)
@Provides({ComputeJobStore.class, EpsilonLedger.class, RemoteJobStore.class, RemoteTrainingStore.class})
public class ComputeStoresExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute job store and ε ledger";
    static final String DATASOURCE_URL_KEY = TransactionalDatabase.DEFAULT_DATASOURCE_URL;

    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject(required = false)
    private TransactionContext transactionContext;
    @Inject
    private Clock clock;
    @Inject
    private TypeManager typeManager;

    private TransactionalDatabase postgres;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        postgres = TransactionalDatabase.ofDefaultDataSource(context.getConfig(), dataSourceRegistry, transactionContext, "Compute jobs").orElse(null);
        if (postgres != null) {
            context.registerService(ComputeJobStore.class, new PostgresComputeJobStore(postgres, typeManager.getMapper()));
            context.registerService(EpsilonLedger.class, new PostgresEpsilonLedger(postgres, clock));
            context.registerService(RemoteJobStore.class, new PostgresRemoteJobStore(postgres, typeManager.getMapper()));
            context.registerService(RemoteTrainingStore.class, new PostgresRemoteTrainingStore(postgres, typeManager.getMapper()));
            context.getMonitor().info("Compute jobs and ε ledger: PostgreSQL");
            return;
        }
        context.registerService(ComputeJobStore.class, new InMemoryComputeJobStore());
        context.registerService(EpsilonLedger.class, new InMemoryEpsilonLedger());
        context.registerService(RemoteJobStore.class, new InMemoryRemoteJobStore());
        context.registerService(RemoteTrainingStore.class, new InMemoryRemoteTrainingStore());
        context.getMonitor().warning("Compute jobs and the ε spent per agreement are kept in memory: a restart forgets them and refills every budget");
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the tables are made once it is there
            ComputeSchema.create(postgres);
        }
    }
}
