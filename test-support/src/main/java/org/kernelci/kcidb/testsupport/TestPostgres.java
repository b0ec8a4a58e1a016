package org.kernelci.kcidb.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for integration tests, started once per JVM; each test takes its own fresh database.
 *
 * <pre>{@code
 * TestDatabase db = TestPostgres.shared().newDatabase();   // CREATE DATABASE test_<random>
 * try (Connection c = db.connect()) { ... }                // or db.dataSource(), or db.pgUri() for PG_URI
 * }</pre>
 *
 * <p><b>Why static accessors and not a JUnit extension:</b> the server outlives every test class, and a test needs
 * only a database handle, which one call returns; the same call works from JUnit, jqwik or a benchmark.
 * Isolation comes from one database per test rather than from cleanup between tests.
 *
 * <p><b>Which server:</b> with {@code KCIDB_TEST_PG_URL} set (a {@code jdbc:postgresql://} or
 * {@code postgres://} URL whose user may CREATE DATABASE), that server; otherwise zonky's embedded PostgreSQL 17
 * (works as root), with fsync off. Databases created on an external server are dropped at JVM exit; the embedded
 * server is deleted whole.
 *
 * <p><b>Restart:</b> {@link #stop()} and {@link #start()} stop and restart the embedded server on the same port
 * and data; call {@link #assumeRestartable()} first so the test is skipped against an external server, and
 * restart in a {@code finally} block: the server is shared with every later test in the JVM.
 */
public final class TestPostgres {

    /** Environment variable pointing the tests at an existing server. */
    public static final String URL_ENV = "KCIDB_TEST_PG_URL";

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

    // The per-JVM fixture holder.
    private static final Object LOCK = new Object();
    private static TestPostgres shared;
    private static RuntimeException startFailure;

    private final PostgresServer server;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestPostgres(PostgresServer server) {
        this.server = server;
    }

    /**
     * The server shared by this JVM, started on first use. A failed start is remembered and rethrown, so a broken
     * environment fails every test quickly.
     */
    public static TestPostgres shared() {
        synchronized (LOCK) {
            if (shared != null) {
                return shared;
            }
            if (startFailure != null) {
                throw new IllegalStateException("the shared test PostgreSQL failed to start earlier in this JVM",
                        startFailure);
            }
            try {
                shared = boot();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            TestPostgres started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kcidb-test-postgres-shutdown"));
            return started;
        }
    }

    private static TestPostgres boot() {
        long begin = System.nanoTime();
        String url = System.getenv(URL_ENV);
        PostgresServer server = url == null || url.isBlank()
                ? EmbeddedPostgresServer.launch()
                : ExternalPostgresServer.fromUrl(url);
        TestPostgres postgres = new TestPostgres(server);
        try (Connection c = postgres.connectMaintenance()) {
            String version = c.getMetaData().getDatabaseProductVersion();
            LOG.info("Test PostgreSQL: {} (server {}) ready in {} ms", server.description(), version,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("cannot connect to " + server.description(), e);
        }
        return postgres;
    }

    /** Creates a new empty database {@code test_<random>} and returns how to reach it. */
    public TestDatabase newDatabase() {
        return newDatabase("test");
    }

    /** Creates a new empty database {@code <prefix>_<random>} (prefix lower-cased, made a valid identifier). */
    public TestDatabase newDatabase(String prefix) {
        String name = TestNames.identifier(prefix);
        execute("CREATE DATABASE " + name);
        created.add(name);
        return database(name);
    }

    /** A handle on an existing database of this server (e.g. the maintenance database), with admin credentials. */
    public TestDatabase database(String name) {
        return new TestDatabase(name, server.jdbcUrl(name), server.host(), server.port(), server.adminUser(),
                server.adminPassword());
    }

    /** The maintenance database ({@code postgres} for the embedded server), with admin credentials. */
    public TestDatabase maintenanceDatabase() {
        return database(server.maintenanceDatabase());
    }

    /** Drops a database, terminating its open connections first. No error if it is already gone. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
        created.remove(name);
    }

    /** Whether {@link #stop()}/{@link #start()} work (embedded server) or not (external server). */
    public boolean restartable() {
        return server.restartable();
    }

    /** Skips the calling test (JUnit assumption) when the server cannot be restarted. */
    public void assumeRestartable() {
        Assumptions.assumeTrue(server.restartable(),
                () -> "needs a restartable PostgreSQL; " + server.description() + " is not");
    }

    /** Stops the server, keeping its data and port. Existing connections break. */
    public void stop() {
        requireRestartable();
        LOG.info("Test PostgreSQL: stopping {}", server.description());
        server.stop();
    }

    /** Starts the server again after {@link #stop()}; a no-op if it runs. */
    public void start() {
        requireRestartable();
        LOG.info("Test PostgreSQL: starting {}", server.description());
        server.start();
    }

    /** Whether the server is running (always true for an external server). */
    public boolean running() {
        return server.running();
    }

    /** For log lines: which server this is. */
    public String description() {
        return server.description();
    }

    private void requireRestartable() {
        if (!server.restartable()) {
            throw new UnsupportedOperationException(server.description()
                    + " cannot be stopped or started; call assumeRestartable() first");
        }
    }

    private Connection connectMaintenance() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(server.maintenanceDatabase()), server.adminUser(),
                server.adminPassword());
    }

    private void execute(String sql) {
        try (Connection c = connectMaintenance(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: '" + sql + "' failed on " + server.description(), e);
        }
    }

    private void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (!server.restartable() && !created.isEmpty()) {
            // External server: leave it as we found it.
            for (String name : new ArrayList<>(created)) {
                try {
                    dropDatabase(name);
                } catch (RuntimeException e) {
                    LOG.warn("Test PostgreSQL: could not drop {}", name, e);
                }
            }
        }
        server.close();
    }

    // Visible for the fixture's own tests.
    List<String> createdDatabases() {
        return List.copyOf(created);
    }
}
