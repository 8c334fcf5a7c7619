package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.sql.PostgresDecisionLogStore;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The PostgreSQL decision log inside EDC's transactions. EDC's local transaction manager hands out connections it
 * enlists in the current transaction and refuses {@code setAutoCommit}, {@code commit} and {@code rollback} on them;
 * the stores of decision-log-sql manage their own transactions on a plain data source. So each store call runs in
 * one EDC transaction ({@link TransactionContext#execute}), and the stores see connections whose transaction
 * control is left to EDC: the call returns after EDC's commit, and a failure rolls back. The stores' advisory
 * lock is transaction-scoped, so it is held until that commit. Appends are the exception: the store commits them in
 * batches on its writer thread, each batch in an EDC transaction of its own (never the caller's), and an append
 * returns after its batch's commit. Thread-safe.
 */
final class EdcTransactionalDecisionLog {

    private static final Set<String> LEFT_TO_EDC = Set.of("setAutoCommit", "commit", "rollback", "close");

    private EdcTransactionalDecisionLog() {
    }

    /**
     * A view of EDC's named data source, looked up on each use, whose connections ignore transaction control; only
     * for use inside {@link TransactionContext#execute}.
     */
    static DataSource enlisted(DataSourceRegistry registry, String name) {
        return new DelegatingDataSource(() -> {
            var dataSource = registry.resolve(name);
            if (dataSource == null) {
                throw new EdcPersistenceException("no data source named '" + name + "' is registered");
            }
            return dataSource;
        }) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                var connection = delegate().getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                        (proxy, method, args) -> {
                            if (LEFT_TO_EDC.contains(method.getName())) {
                                return null;
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }

    /**
     * EDC transactions for the PostgreSQL store's batches: each batch runs on the store's writer thread, which has no
     * ambient transaction, so each is a transaction of its own, committed before its appends return.
     */
    static PostgresDecisionLogStore.Transactions transactions(TransactionContext transactions) {
        return new PostgresDecisionLogStore.Transactions() {
            @Override
            public <T> T execute(java.util.function.Supplier<T> work) {
                return transactions.execute(work::get);
            }
        };
    }

    static DecisionLogStore store(DecisionLogStore store, TransactionContext transactions) {
        return new DecisionLogStore() {
            @Override
            public StoredDecision append(DecisionEntry entry) {
                // not in the caller's transaction: the store commits the entry's batch in one of its own
                // (transactions(...)), and returns after that commit
                return store.append(entry);
            }

            @Override
            public StoreResult<StoredDecision> read(long position) {
                return transactions.execute(() -> store.read(position));
            }

            @Override
            public ChainHead head() {
                return transactions.execute(store::head);
            }

            @Override
            public List<StoredDecision> query(DecisionQuery query) {
                return transactions.execute(() -> store.query(query));
            }

            @Override
            public List<StoredDecision> readRange(long fromPosition, int max) {
                return transactions.execute(() -> store.readRange(fromPosition, max));
            }
        };
    }

    static CheckpointStore checkpoints(CheckpointStore checkpoints, TransactionContext transactions) {
        return new CheckpointStore() {
            @Override
            public void save(Checkpoint checkpoint) {
                transactions.execute(() -> checkpoints.save(checkpoint));
            }

            @Override
            public List<Checkpoint> all() {
                return transactions.execute(checkpoints::all);
            }

            @Override
            public Optional<Checkpoint> latest() {
                return transactions.execute(checkpoints::latest);
            }

            @Override
            public void saveKey(CheckpointKey key) {
                transactions.execute(() -> checkpoints.saveKey(key));
            }

            @Override
            public List<CheckpointKey> keys() {
                return transactions.execute(checkpoints::keys);
            }
        };
    }

    static io.kakehashi.policy.decisionlog.spi.WitnessStore witness(io.kakehashi.policy.decisionlog.spi.WitnessStore witness, TransactionContext transactions) {
        return new io.kakehashi.policy.decisionlog.spi.WitnessStore() {
            @Override
            public void save(io.kakehashi.policy.decisionlog.spi.WitnessRecord record) {
                transactions.execute(() -> witness.save(record));
            }

            @Override
            public List<io.kakehashi.policy.decisionlog.spi.WitnessRecord> all() {
                return transactions.execute(witness::all);
            }
        };
    }

    static io.kakehashi.policy.decisionlog.spi.ReceiptStore receipts(io.kakehashi.policy.decisionlog.spi.ReceiptStore receipts, TransactionContext transactions) {
        return new io.kakehashi.policy.decisionlog.spi.ReceiptStore() {
            @Override
            public Saved save(io.kakehashi.policy.decisionlog.spi.Receipt receipt) {
                return transactions.execute(() -> receipts.save(receipt));
            }

            @Override
            public List<io.kakehashi.policy.decisionlog.spi.Receipt> all() {
                return transactions.execute(receipts::all);
            }

            @Override
            public List<io.kakehashi.policy.decisionlog.spi.Receipt> byAgreement(String agreementId) {
                return transactions.execute(() -> receipts.byAgreement(agreementId));
            }
        };
    }
}
