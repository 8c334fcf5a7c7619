package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.sql.ConnectionFactory;
import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;

/**
 * Opens the JDBC connections of EDC's connection pools with bounded waits and a failure that says where and why.
 * For a PostgreSQL URL it adds the driver's {@code connectTimeout}, {@code loginTimeout} and {@code socketTimeout}
 * when the operator set none of them (a value in the URL or in {@code edc.datasource.<name>.*} wins), so a server that
 * accepts connections and never answers fails the connection within the bound instead of holding a thread for as long
 * as the operating system allows. A failed connection becomes an {@link EdcPersistenceException} naming the
 * {@code host:port} the URL names and the setting that holds the URL; it never carries the URL itself (it may hold
 * credentials), the user or the password, and the driver's own exception is not chained because its message may name
 * the user. Stateless and thread-safe.
 */
public class BoundedConnectionFactory implements ConnectionFactory {

    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String LOGIN_TIMEOUT = "loginTimeout";
    static final String SOCKET_TIMEOUT = "socketTimeout";

    private final Map<String, String> settingKeysByUrl;
    private final String fallbackSettingKey;
    private final int connectTimeoutSeconds;
    private final int socketTimeoutSeconds;

    /**
     * @param settingKeysByUrl      the setting that holds each configured JDBC URL, to name it in a failure
     * @param fallbackSettingKey    the setting named for a URL not in that map (it came from the vault)
     * @param connectTimeoutSeconds bound of establishing a connection, login included; 0 for the driver's default
     * @param socketTimeoutSeconds  bound of one read from the server; 0 for none
     */
    public BoundedConnectionFactory(Map<String, String> settingKeysByUrl, String fallbackSettingKey,
                                    int connectTimeoutSeconds, int socketTimeoutSeconds) {
        this.settingKeysByUrl = Map.copyOf(settingKeysByUrl);
        this.fallbackSettingKey = fallbackSettingKey;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.socketTimeoutSeconds = socketTimeoutSeconds;
    }

    @Override
    public Connection create(String jdbcUrl, Properties properties) {
        var effective = new Properties();
        effective.putAll(properties);
        var postgres = jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
        if (postgres) {
            if (connectTimeoutSeconds > 0) {
                effective.putIfAbsent(CONNECT_TIMEOUT, String.valueOf(connectTimeoutSeconds));
                effective.putIfAbsent(LOGIN_TIMEOUT, String.valueOf(connectTimeoutSeconds));
            }
            if (socketTimeoutSeconds > 0) {
                effective.putIfAbsent(SOCKET_TIMEOUT, String.valueOf(socketTimeoutSeconds));
            }
        }
        try {
            return DriverManager.getConnection(jdbcUrl, effective);
        } catch (SQLException e) {
            throw new EdcPersistenceException(describe(jdbcUrl, effective, e));
        }
    }

    private String describe(String jdbcUrl, Properties effective, SQLException failure) {
        var settingKey = settingKeysByUrl.getOrDefault(jdbcUrl, fallbackSettingKey);
        var cause = withoutCredentials(String.valueOf(failure.getMessage()), effective);
        var fromUrl = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, null);
        if (fromUrl != null) {
            cause = withoutCredentials(cause, fromUrl);
        }
        var bounds = "connect timeout %s s, login timeout %s s, socket timeout %s s".formatted(
                effective.getOrDefault(CONNECT_TIMEOUT, "10"), effective.getOrDefault(LOGIN_TIMEOUT, "-"),
                effective.getOrDefault(SOCKET_TIMEOUT, "0"));
        return "Cannot connect to the database at %s (setting '%s'): %s [SQL state %s; %s; '%s' and '%s' change them]"
                .formatted(addresses(jdbcUrl), settingKey, cause, failure.getSQLState(), bounds,
                        BoundedConnectionsExtension.CONNECT_TIMEOUT_KEY, BoundedConnectionsExtension.SOCKET_TIMEOUT_KEY);
    }

    /** The {@code host:port} pairs a JDBC URL names, and nothing else of it. */
    static String addresses(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            return "an address the URL names";
        }
        var parsed = Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            return "an address the URL names (the URL is malformed)";
        }
        var hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        var ports = parsed.getProperty("PGPORT", "5432").split(",");
        var pairs = new ArrayList<String>();
        for (int i = 0; i < hosts.length; i++) {
            var host = hosts[i].isBlank() ? "localhost" : hosts[i];
            host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            pairs.add(host + ":" + (i < ports.length ? ports[i] : ports[ports.length - 1]));
        }
        return String.join(", ", pairs);
    }

    private static String withoutCredentials(String message, Properties properties) {
        var result = message;
        for (var key : new String[]{ "password", "user" }) {
            var value = properties.getProperty(key);
            if (value != null && !value.isEmpty()) {
                result = result.replace(value, "<" + key + ">");
            }
        }
        return result;
    }
}
