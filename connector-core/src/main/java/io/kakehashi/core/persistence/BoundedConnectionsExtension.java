package io.kakehashi.core.persistence;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.sql.ConnectionFactory;

import java.util.HashMap;

/**
 * Provides the {@link ConnectionFactory} EDC's connection pools open their connections with: a
 * {@link BoundedConnectionFactory}, replacing EDC's default (which waits as long as the driver does and fails with the
 * driver's message only).
 */
@Extension(BoundedConnectionsExtension.NAME)
public class BoundedConnectionsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi bounded database connections";
    public static final String CONNECT_TIMEOUT_KEY = "kakehashi.persistence.connect-timeout";
    public static final String SOCKET_TIMEOUT_KEY = "kakehashi.persistence.socket-timeout";
    private static final String DATASOURCES = "edc.datasource";

    @Setting(key = CONNECT_TIMEOUT_KEY, defaultValue = "5",
            description = "Seconds a new database connection may take, login included (the PostgreSQL driver's connectTimeout and loginTimeout, unless set on the datasource); 0 leaves the driver's defaults")
    private int connectTimeoutSeconds;

    @Setting(key = SOCKET_TIMEOUT_KEY, defaultValue = "60",
            description = "Seconds one read from the database may wait (the PostgreSQL driver's socketTimeout, unless set on the datasource); 0 for no bound")
    private int socketTimeoutSeconds;

    @Override
    public String name() {
        return NAME;
    }

    @Provider
    public ConnectionFactory connectionFactory(ServiceExtensionContext context) {
        SettingValues.require(SettingValues.integer(CONNECT_TIMEOUT_KEY, connectTimeoutSeconds, 0, 3600));
        SettingValues.require(SettingValues.integer(SOCKET_TIMEOUT_KEY, socketTimeoutSeconds, 0, 86_400));
        var keysByUrl = new HashMap<String, String>();
        context.getConfig(DATASOURCES).partition().forEach(datasource -> {
            var url = datasource.getString("url", null);
            if (url != null) {
                keysByUrl.putIfAbsent(url, "%s.%s.url".formatted(DATASOURCES, datasource.currentNode()));
            }
        });
        return new BoundedConnectionFactory(keysByUrl, PostgresPersistenceExtension.URL_KEY, connectTimeoutSeconds, socketTimeoutSeconds);
    }
}
