package org.kernelci.kcidb.database;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Connections to the KCIDB database from a {@link PgUri}.
 *
 * <p>Every connection runs in the UTC session time zone, as kcidb forces it ({@code SET SESSION TIME ZONE 'UTC'}):
 * timestamps then render and compare the same whatever the server's or the JVM's zone. Pools rewrite JDBC
 * batches of INSERTs into multi-row INSERTs ({@code reWriteBatchedInserts}), 2-3 times faster for bulk upserts.
 */
public final class Databases {

    /** Run on every new connection. */
    static final String SESSION_INIT_SQL = "SET SESSION TIME ZONE 'UTC'";

    /** SQLSTATE 57P03 cannot_connect_now: the server is starting up, shutting down or in recovery. */
    static final String CANNOT_CONNECT_NOW = "57P03";

    private Databases() {
    }

    /** A HikariCP pool; the caller closes it at shutdown. */
    public static HikariDataSource pool(PgUri uri, PoolSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(settings.applicationName() + "-db");
        config.setJdbcUrl(uri.jdbcUrl());
        if (uri.user() != null) {
            config.setUsername(uri.user());
        }
        if (uri.password() != null) {
            config.setPassword(uri.password());
        }
        driverProperties(uri, settings.applicationName()).forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maximumPoolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(5_000, settings.connectionTimeout().toMillis()));
        // Replace idle connections before typical NAT/firewall idle cut-offs drop them silently.
        config.setKeepaliveTime(120_000);
        config.setConnectionInitSql(SESSION_INIT_SQL);
        // -1: start without a connection; 1 ms: fail construction unless one connection can be made now.
        config.setInitializationFailTimeout(settings.failFast() ? 1 : -1);
        return new HikariDataSource(config);
    }

    /** A DataSource opening a new connection per call, for one-shot tools (migrations, db-init). */
    public static DataSource unpooled(PgUri uri, String applicationName) {
        return new UnpooledDataSource(uri, applicationName);
    }

    /** One unpooled connection, in the UTC session time zone; the caller closes it. */
    public static Connection connect(PgUri uri, String applicationName) throws SQLException {
        Properties props = new Properties();
        props.putAll(driverProperties(uri, applicationName));
        if (uri.user() != null) {
            props.setProperty("user", uri.user());
        }
        if (uri.password() != null) {
            props.setProperty("password", uri.password());
        }
        Connection connection = DriverManager.getConnection(uri.jdbcUrl(), props);
        try (Statement s = connection.createStatement()) {
            s.execute(SESSION_INIT_SQL);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Whether a failure is the database being unreachable or not ready yet, worth waiting for: no connection
     * (SQLSTATE class 08, a refused or timed-out connection, the pool's timeout) or a server starting up, shutting
     * down or in recovery (57P03, "the database system is starting up"). The one such test of the project.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().equals(CANNOT_CONNECT_NOW))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> driverProperties(PgUri uri, String applicationName) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ApplicationName", applicationName);
        props.put("reWriteBatchedInserts", "true");
        props.put("tcpKeepAlive", "true");
        // What the operator wrote in PG_URI wins over our defaults.
        props.putAll(uri.properties());
        return props;
    }
}
