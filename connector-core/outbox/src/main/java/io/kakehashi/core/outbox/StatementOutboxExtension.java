package io.kakehashi.core.outbox;

import io.kakehashi.core.spi.outbox.StatementOutbox;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link StatementOutbox}. Like the rest of the connector's state it follows the datasource: with
 * {@code edc.datasource.default.url} set, the table {@code kakehashi_statement_outbox} (created at start, shared by
 * replicas, each call in an EDC transaction; rows done more than {@value #KEEP_DONE_DAYS} days ago deleted at start);
 * without it, {@code outbox.jsonl} in {@value #DIRECTORY_KEY}, fsync'd, which survives a restart.
 */
@Extension(StatementOutboxExtension.NAME)
@Provides(StatementOutbox.class)
public class StatementOutboxExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi statement outbox";
    public static final String DIRECTORY_KEY = "kakehashi.outbox.dir";
    static final String DATASOURCE_URL_KEY = "edc.datasource.default.url";
    static final String FILE = "outbox.jsonl";
    static final int KEEP_DONE_DAYS = 30;

    @Setting(key = DIRECTORY_KEY, defaultValue = "kakehashi-data/outbox",
            description = "Directory of the outbox of signed statements to counterparties when no PostgreSQL datasource is configured")
    private String directory;

    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject(required = false)
    private TransactionContext transactionContext;
    @Inject(required = false)
    private Clock clock;

    private FileStatementOutbox file;
    private PostgresStatementOutbox postgres;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var url = context.getConfig().getString(DATASOURCE_URL_KEY, null);
        if (url != null && !url.isBlank()) {
            if (dataSourceRegistry == null || transactionContext == null) {
                throw new EdcException("Outbox: '%s' is set but the runtime has no data source registry or transaction context".formatted(DATASOURCE_URL_KEY));
            }
            postgres = new PostgresStatementOutbox(this::defaultDataSource);
            context.registerService(StatementOutbox.class, transactional(postgres, transactionContext));
            context.getMonitor().info("Outbox: PostgreSQL");
            return;
        }
        var path = Path.of(directory).resolve(FILE);
        try {
            file = FileStatementOutbox.open(path, context.getMonitor());
        } catch (EdcPersistenceException e) {
            throw new EdcException("Outbox: %s (setting '%s')".formatted(e.getMessage(), DIRECTORY_KEY), e);
        }
        context.registerService(StatementOutbox.class, file);
        context.getMonitor().info("Outbox: " + path.toAbsolutePath());
    }

    @Override
    public void prepare() {
        if (postgres != null) {
            // the pool registers the data source during initialisation, so the table is made once it is there
            transactionContext.execute(() -> OutboxSchema.create(defaultDataSource()));
            var now = (clock == null ? Clock.systemUTC() : clock).instant();
            transactionContext.execute(() -> postgres.purgeDone(now.minus(Duration.ofDays(KEEP_DONE_DAYS))));
        }
    }

    @Override
    public void shutdown() {
        if (file != null) {
            file.close();
        }
    }

    private DataSource defaultDataSource() {
        var dataSource = dataSourceRegistry.resolve(DataSourceRegistry.DEFAULT_DATASOURCE);
        if (dataSource == null) {
            throw new EdcPersistenceException("no data source named '" + DataSourceRegistry.DEFAULT_DATASOURCE + "' is registered");
        }
        return dataSource;
    }

    /** Each call of {@code outbox} in an EDC transaction of its own, or in the caller's. */
    static StatementOutbox transactional(StatementOutbox outbox, TransactionContext transactions) {
        return new StatementOutbox() {
            @Override
            public Pending put(String kind, String address, String statement, Instant now) {
                return transactions.execute(() -> outbox.put(kind, address, statement, now));
            }

            @Override
            public Pending hold(String kind, String address, String statement, String holder, Instant now, Instant until) {
                return transactions.execute(() -> outbox.hold(kind, address, statement, holder, now, until));
            }

            @Override
            public boolean complete(String id, String holder, String kind, String statement, Instant now) {
                return transactions.execute(() -> outbox.complete(id, holder, kind, statement, now));
            }

            @Override
            public List<Pending> claim(String kind, String holder, Instant now, Instant until, int max) {
                return transactions.execute(() -> outbox.claim(kind, holder, now, until, max));
            }

            @Override
            public boolean retry(String id, String holder, int attempts, Instant due) {
                return transactions.execute(() -> outbox.retry(id, holder, attempts, due));
            }

            @Override
            public boolean done(String id, String holder, Outcome outcome, String detail, Instant now) {
                return transactions.execute(() -> outbox.done(id, holder, outcome, detail, now));
            }

            @Override
            public Optional<Instant> nextDue(String kind) {
                return transactions.execute(() -> outbox.nextDue(kind));
            }

            @Override
            public List<Pending> pending(String kind) {
                return transactions.execute(() -> outbox.pending(kind));
            }
        };
    }
}
