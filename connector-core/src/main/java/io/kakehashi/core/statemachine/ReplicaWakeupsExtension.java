package io.kakehashi.core.statemachine;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.sql.ConnectionFactory;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;
import org.eclipse.edc.transaction.spi.TransactionContext;

import java.sql.SQLException;
import java.util.Properties;

/**
 * On PostgreSQL, wakes the state machines of every replica sharing the database when one of them raises a wake-up
 * ({@link PostgresWakeupChannel}: {@code LISTEN}/{@code NOTIFY}), so that work saved through one replica is picked up
 * at once by whichever replica's loop gets to it first. Without it, the other replicas find the work within their idle
 * wait. Does nothing on the in-memory stores or with wake-ups off. See decision record 0025.
 */
@Extension(ReplicaWakeupsExtension.NAME)
public class ReplicaWakeupsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi state-machine wake-ups between replicas";
    public static final String REPLICA_WAKEUPS_KEY = "kakehashi.state-machine.replica-wakeups";
    private static final String URL_KEY = "edc.datasource.default.url";
    private static final String USER_KEY = "edc.datasource.default.user";
    private static final String PASSWORD_KEY = "edc.datasource.default.password";

    @Setting(key = REPLICA_WAKEUPS_KEY, defaultValue = "true",
            description = "On PostgreSQL with wake-ups on: tell the other replicas sharing the database of new work (LISTEN/NOTIFY)")
    private boolean replicaWakeups;
    @Setting(key = StateMachineWakeupsExtension.WAKE_ON_WORK_KEY, defaultValue = "true", description = "see " + StateMachineWakeupsExtension.NAME)
    private boolean wakeOnWork;

    @Inject
    private StateMachineWakeups wakeups;
    @Inject(required = false)
    private DataSourceRegistry dataSourceRegistry;
    @Inject(required = false)
    private TransactionContext transactionContext;
    @Inject(required = false)
    private ConnectionFactory connectionFactory;
    @Inject(required = false)
    private Vault vault;

    private PostgresWakeupChannel channel;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var url = context.getConfig().getString(URL_KEY, "");
        if (!replicaWakeups || !wakeOnWork || dataSourceRegistry == null || transactionContext == null || connectionFactory == null || !url.startsWith("jdbc:postgresql:")) {
            return;
        }
        var registry = dataSourceRegistry;
        var transactions = transactionContext;
        PostgresWakeupChannel.Notifier notifier = (channelName, payload) -> transactions.execute(() -> {
            try (var connection = registry.resolve(DataSourceRegistry.DEFAULT_DATASOURCE).getConnection();
                 var statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                statement.setString(1, channelName);
                statement.setString(2, payload);
                statement.execute();
            } catch (SQLException e) {
                throw new EdcPersistenceException(e);
            }
        });
        // the listener keeps a plain connection of its own, outside EDC's pool and transactions, which would hold
        // notifications back until a commit
        var config = context.getConfig();
        var factory = connectionFactory;
        var secrets = vault;
        PostgresWakeupChannel.Connections listenerConnection = () -> {
            var properties = new Properties();
            var user = config.getString(USER_KEY, null);
            if (user != null) {
                properties.setProperty("user", user);
            }
            var password = secrets == null ? null : secrets.resolveSecret(PASSWORD_KEY);
            password = password != null ? password : config.getString(PASSWORD_KEY, null);
            if (password != null) {
                properties.setProperty("password", password);
            }
            return factory.create(url, properties);
        };
        channel = new PostgresWakeupChannel(listenerConnection, notifier, wakeups, context.getMonitor().withPrefix("StateMachines"));
        wakeups.announceTo(channel::announce);
    }

    @Override
    public void start() {
        if (channel != null) {
            channel.start();
        }
    }

    @Override
    public void shutdown() {
        if (channel != null) {
            channel.close();
        }
    }
}
