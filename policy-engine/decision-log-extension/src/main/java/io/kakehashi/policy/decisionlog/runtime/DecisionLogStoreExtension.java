package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.FileReceiptStore;
import io.kakehashi.policy.decisionlog.FileWitnessStore;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import io.kakehashi.policy.decisionlog.sql.DecisionLogSchema;
import io.kakehashi.policy.decisionlog.sql.PostgresCheckpointStore;
import io.kakehashi.policy.decisionlog.sql.PostgresDecisionLogStore;
import io.kakehashi.policy.decisionlog.sql.PostgresReceiptStore;
import io.kakehashi.policy.decisionlog.sql.PostgresWitnessStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Where the decision log lives. Like the rest of the connector's state it follows the datasource: with
 * {@code edc.datasource.default.url} set, PostgreSQL (tables created at start, shared by replicas); without it, two
 * fsync'd JSON Lines files in {@value #DIRECTORY_KEY} (and {@value #WITNESS_FILE} for witness evidence, {@value #RECEIPTS_FILE} for the receipts counterparties sent), the embedded default, which survive a restart.
 */
@Extension(DecisionLogStoreExtension.NAME)
@Provides({DecisionLogStore.class, CheckpointStore.class, WitnessStore.class, ReceiptStore.class})
public class DecisionLogStoreExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi decision log store";
    public static final String DIRECTORY_KEY = "kakehashi.decisionlog.dir";
    static final String DATASOURCE_URL_KEY = "edc.datasource.default.url";
    static final String ENTRIES_FILE = "decisions.jsonl";
    static final String CHECKPOINTS_FILE = "checkpoints.jsonl";
    static final String WITNESS_FILE = "witness.jsonl";
    static final String RECEIPTS_FILE = "receipts.jsonl";

    @Setting(key = DIRECTORY_KEY, defaultValue = "kakehashi-data/decision-log",
            description = "Directory of the decision log's files when no PostgreSQL datasource is configured")
    private String directory;

    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject(required = false)
    private TransactionContext transactionContext;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private DataSource postgres;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var monitor = context.getMonitor();
        var url = context.getConfig().getString(DATASOURCE_URL_KEY, null);
        if (url != null && !url.isBlank()) {
            if (dataSourceRegistry == null || transactionContext == null) {
                throw new EdcException("Decision log: '%s' is set but the runtime has no data source registry or transaction context".formatted(DATASOURCE_URL_KEY));
            }
            postgres = EdcTransactionalDecisionLog.enlisted(dataSourceRegistry, DataSourceRegistry.DEFAULT_DATASOURCE);
            // appends are committed in batches on the store's writer thread, each batch in an EDC transaction of its own
            var store = new PostgresDecisionLogStore(postgres, EdcTransactionalDecisionLog.transactions(transactionContext));
            context.registerService(DecisionLogStore.class, EdcTransactionalDecisionLog.store(store, transactionContext));
            context.registerService(CheckpointStore.class,
                    EdcTransactionalDecisionLog.checkpoints(new PostgresCheckpointStore(postgres), transactionContext));
            context.registerService(WitnessStore.class, EdcTransactionalDecisionLog.witness(new PostgresWitnessStore(postgres), transactionContext));
            context.registerService(ReceiptStore.class, EdcTransactionalDecisionLog.receipts(new PostgresReceiptStore(postgres), transactionContext));
            monitor.info("Decision log: PostgreSQL");
            return;
        }
        var dir = Path.of(directory);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EdcException("Decision log: cannot create the directory '%s' (setting '%s'): %s".formatted(dir, DIRECTORY_KEY, e.getMessage()));
        }
        var entries = FileDecisionLogStore.open(dir.resolve(ENTRIES_FILE), monitor);
        opened.add(entries);
        var checkpoints = FileCheckpointStore.open(dir.resolve(CHECKPOINTS_FILE), monitor);
        opened.add(checkpoints);
        context.registerService(DecisionLogStore.class, entries);
        context.registerService(CheckpointStore.class, checkpoints);
        var witness = FileWitnessStore.open(dir.resolve(WITNESS_FILE), monitor);
        opened.add(witness);
        context.registerService(WitnessStore.class, witness);
        var receipts = FileReceiptStore.open(dir.resolve(RECEIPTS_FILE), monitor);
        opened.add(receipts);
        context.registerService(ReceiptStore.class, receipts);
        monitor.info("Decision log: files in " + dir.toAbsolutePath());
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the tables are made once it is there
            transactionContext.execute(() -> DecisionLogSchema.create(postgres));
        }
    }

    @Override
    public void shutdown() {
        for (var closeable : opened) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing releases the file lock; the data is already on disk
            }
        }
    }
}
