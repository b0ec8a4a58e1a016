package org.kernelci.kcidb.database;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A DataSource that opens a fresh connection per call (via {@link Databases#connect}); for one-shot tools such as
 * db-init, where a pool would only add a lifecycle to manage.
 */
final class UnpooledDataSource implements DataSource {

    private final PgUri uri;
    private final String applicationName;

    UnpooledDataSource(PgUri uri, String applicationName) {
        this.uri = uri;
        this.applicationName = applicationName;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return Databases.connect(uri, applicationName);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return Databases.connect(uri.withCredentials(username, password), applicationName);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager logging is not used.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // The PG_URI's connect_timeout applies.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "UnpooledDataSource[" + uri + "]";
    }
}
