package org.kernelci.kcidb.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * One fresh, empty PostgreSQL database owned by a single test, with credentials of a role that may also create
 * databases and roles (the server's superuser for the embedded server).
 *
 * @param name     the database name ({@code test_<random>})
 * @param jdbcUrl  a JDBC URL without credentials
 * @param host     the server host, for building other connection strings
 * @param port     the server port
 * @param user     the role to connect as
 * @param password its password (empty for the embedded server, which trusts local connections)
 */
public record TestDatabase(String name, String jdbcUrl, String host, int port, String user, String password) {

    /** A non-pooling DataSource; wrap it in a pool yourself if the code under test expects one. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /**
     * This database in kcidb's {@code PG_URI} form, e.g.
     * {@code postgresql:dbname=test_x user=postgres host=localhost port=5432}, as a service's configuration
     * would carry it.
     */
    public String pgUri() {
        StringBuilder uri = new StringBuilder("postgresql:")
                .append("dbname=").append(libpqValue(name))
                .append(" user=").append(libpqValue(user));
        if (password != null && !password.isEmpty()) {
            uri.append(" password=").append(libpqValue(password));
        }
        return uri.append(" host=").append(libpqValue(host)).append(" port=").append(port).toString();
    }

    /** Drops this database (terminating its connections). Optional: the embedded server is deleted at exit. */
    public void drop() {
        TestPostgres.shared().dropDatabase(name);
    }

    private static String libpqValue(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " at " + jdbcUrl + " as " + user + "]";
    }
}
