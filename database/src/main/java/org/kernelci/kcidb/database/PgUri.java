package org.kernelci.kcidb.database;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where and as whom to connect to PostgreSQL, parsed from any of the forms an operator may put in {@code PG_URI}:
 * <ul>
 *   <li>kcidb's form, {@code postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432}: the
 *       driver name, a colon, then a libpq connection string (keyword/value pairs, values quoted with
 *       {@code '...'} and backslash escapes per libpq; or a libpq URI). kcidb's leading {@code !} (which only
 *       tunes kcidb's own merge order) is accepted and ignored;</li>
 *   <li>a bare libpq keyword/value string, {@code host=db dbname=kcidb ...};</li>
 *   <li>a libpq URI, {@code postgresql://user:pass@host:port,host2/db?sslmode=require};</li>
 *   <li>a JDBC URL, {@code jdbc:postgresql://host:port/db?user=...&password=...}.</li>
 * </ul>
 * libpq keywords with a JDBC equivalent are translated ({@code sslmode}, {@code connect_timeout},
 * {@code application_name}, {@code target_session_attrs}, ...); keywords libpq does not know are kept verbatim as
 * JDBC driver properties, so pgjdbc options such as {@code prepareThreshold=0} can ride along. The missing host
 * defaults to {@code localhost} (pgjdbc cannot use libpq's default Unix socket), the port to 5432 and the database to
 * the user name, as in libpq.
 *
 * <p>{@link #toString()} never shows the password (nor any property whose name contains "password").
 *
 * @param hosts      one or more servers, tried in order
 * @param database   the database name
 * @param user       the role to log in as, or null for the driver's default (the OS user)
 * @param password   its password, or null
 * @param properties further JDBC driver properties, in the order given
 */
public record PgUri(List<HostPort> hosts, String database, String user, String password,
        Map<String, String> properties) {

    /** The PostgreSQL default port. */
    public static final int DEFAULT_PORT = 5432;

    /** A server address. */
    public record HostPort(String host, int port) {

        public HostPort {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new InvalidPgUriException("empty host name");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidPgUriException("invalid port number: " + port);
            }
        }

        /** {@code host:port}, with IPv6 literals in brackets as URLs need them. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public PgUri {
        hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
        if (hosts.isEmpty()) {
            throw new InvalidPgUriException("no host");
        }
        Objects.requireNonNull(database, "database");
        if (database.isEmpty()) {
            throw new InvalidPgUriException("empty database name");
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(properties, "properties")));
    }

    /**
     * Parses any of the accepted forms.
     *
     * @throws InvalidPgUriException with a precise, password-free message when the text is not usable
     */
    public static PgUri parse(String text) {
        return PgUriParser.parse(text);
    }

    /** The JDBC URL, without credentials or properties (those are in {@link #jdbcProperties()}). */
    public String jdbcUrl() {
        String hostList = hosts.stream().map(HostPort::toString).collect(Collectors.joining(","));
        String db = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return "jdbc:postgresql://" + hostList + "/" + db;
    }

    /** Driver properties: the extra ones plus {@code user} and {@code password} when set. */
    public Properties jdbcProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** The same server and credentials, another database (e.g. {@code postgres} to CREATE DATABASE). */
    public PgUri withDatabase(String otherDatabase) {
        return new PgUri(hosts, otherDatabase, user, password, properties);
    }

    /** The same server and database, other credentials (e.g. the administrator's). */
    public PgUri withCredentials(String otherUser, String otherPassword) {
        return new PgUri(hosts, database, otherUser, otherPassword, properties);
    }

    /** The same connection with one more (or a replaced) driver property. */
    public PgUri withProperty(String name, String value) {
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.put(name, value);
        return new PgUri(hosts, database, user, password, props);
    }

    /** Safe to log: the password and password-like properties are masked. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PgUri[").append(jdbcUrl());
        s.append(" user=").append(user == null ? "(default)" : user);
        s.append(" password=").append(password == null ? "(none)" : "***");
        if (!properties.isEmpty()) {
            s.append(' ').append(properties.entrySet().stream()
                    .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "***" : e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}")));
        }
        return s.append(']').toString();
    }

    private static boolean isSecret(String propertyName) {
        return propertyName.toLowerCase(Locale.ROOT).contains("password");
    }
}
