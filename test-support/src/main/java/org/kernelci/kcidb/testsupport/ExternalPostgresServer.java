package org.kernelci.kcidb.testsupport;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

import org.postgresql.Driver;

/**
 * A PostgreSQL server the test run was pointed at with {@code KCIDB_TEST_PG_URL}. Tests only create and drop their
 * own databases on it; it cannot be stopped from here.
 */
final class ExternalPostgresServer implements PostgresServer {

    private final String hostSpec;
    private final String host;
    private final int port;
    private final String maintenanceDatabase;
    private final String user;
    private final String password;
    private final String query;

    private ExternalPostgresServer(String hostSpec, String host, int port, String maintenanceDatabase, String user,
            String password, String query) {
        this.hostSpec = hostSpec;
        this.host = host;
        this.port = port;
        this.maintenanceDatabase = maintenanceDatabase;
        this.user = user;
        this.password = password;
        this.query = query;
    }

    /**
     * Accepts {@code jdbc:postgresql://host:port/db?user=u&password=p&...} and
     * {@code postgres[ql]://u:p@host:port/db?...}; the database is the one used for CREATE DATABASE.
     */
    static ExternalPostgresServer fromUrl(String url) {
        String jdbcUrl = url.strip();
        if (jdbcUrl.startsWith("postgres://") || jdbcUrl.startsWith("postgresql://")) {
            jdbcUrl = toJdbc(jdbcUrl);
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(TestPostgres.URL_ENV
                    + " must be a jdbc:postgresql:// or postgres:// URL, got something else");
        }
        Properties props = Driver.parseURL(jdbcUrl, new Properties());
        if (props == null) {
            throw new IllegalArgumentException(TestPostgres.URL_ENV + " is not a valid PostgreSQL JDBC URL");
        }
        String[] hosts = props.getProperty("PGHOST", "localhost").split(",");
        String[] ports = props.getProperty("PGPORT", "5432").split(",");
        StringJoiner spec = new StringJoiner(",");
        for (int i = 0; i < hosts.length; i++) {
            spec.add(hosts[i] + ":" + ports[Math.min(i, ports.length - 1)]);
        }
        String database = props.getProperty("PGDBNAME", "postgres");
        String user = props.getProperty("user", System.getProperty("user.name"));
        String password = props.getProperty("password", "");
        Map<String, String> rest = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("PG") && !name.equals("user") && !name.equals("password")) {
                rest.put(name, props.getProperty(name));
            }
        }
        StringJoiner query = new StringJoiner("&");
        rest.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        return new ExternalPostgresServer(spec.toString(), hosts[0], Integer.parseInt(ports[0]), database, user,
                password, query.toString());
    }

    private static String toJdbc(String url) {
        URI uri = URI.create(url);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getRawAuthority().replaceFirst("^.*@", ""));
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        StringJoiner params = new StringJoiner("&", "?", "");
        params.setEmptyValue("");
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            params.add(uri.getRawQuery());
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String u = colon < 0 ? userInfo : userInfo.substring(0, colon);
            params.add("user=" + encode(URLDecoder.decode(u, StandardCharsets.UTF_8)));
            if (colon >= 0) {
                params.add("password=" + encode(URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8)));
            }
        }
        return jdbc.append(params).toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostSpec + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String adminUser() {
        return user;
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return maintenanceDatabase;
    }

    @Override
    public String description() {
        return "external PostgreSQL at " + hostSpec + " (" + TestPostgres.URL_ENV + ")";
    }

    @Override
    public boolean restartable() {
        return false;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("an external PostgreSQL server cannot be stopped from tests");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("an external PostgreSQL server cannot be started from tests");
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
