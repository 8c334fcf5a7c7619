package io.kakehashi.ai.extension;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.transaction.datasource.spi.DataSourceRegistry;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that looks its pool up in EDC's registry on each use: the pool is registered during start-up,
 * after the stores that use it are built. Thread-safe.
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
        throw new SQLFeatureNotSupportedException();
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
