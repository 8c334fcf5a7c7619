package io.kakehashi.policy.decisionlog.runtime;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that looks up EDC's named data source when a connection is asked for, so the decision log can be
 * built before the connection pool has registered it. Thread-safe.
 */
final class RegistryDataSource implements DataSource {

    private final DataSourceRegistry registry;
    private final String name;

    RegistryDataSource(DataSourceRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    private DataSource resolved() {
        var dataSource = registry.resolve(name);
        if (dataSource == null) {
            throw new EdcPersistenceException("no data source named '" + name + "' is registered");
        }
        return dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return resolved().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return resolved().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return resolved().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        resolved().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        resolved().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return resolved().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return resolved().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return resolved().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return resolved().isWrapperFor(type);
    }
}
