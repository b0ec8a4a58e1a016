package org.kernelci.kcidb.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of its own that is starting up, and stays so until {@link #promote()}: every connection is
 * refused with SQLSTATE 57P03 (cannot_connect_now), as a server in crash recovery or restoring a backup refuses them.
 * It is a standby ({@code standby.signal}) with hot standby off and no primary to follow; promoting it ends the
 * recovery, as {@code pg_ctl promote} does, and it then accepts connections. zonky's binaries, its own data directory
 * and port; the superuser {@code postgres} with trust authentication.
 */
public final class StartingPostgres implements AutoCloseable {
    /** SQLSTATE cannot_connect_now. */
    public static final String CANNOT_CONNECT_NOW = "57P03";
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final Path root;
    private final Path data;
    private final int port;
    private final CompletableFuture<EmbeddedPostgres> server = new CompletableFuture<>();

    private StartingPostgres(Path root, int port) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
    }

    /** Creates the cluster, then starts it in recovery; returns once it answers 57P03. */
    public static StartingPostgres start() {
        try {
            StartingPostgres pg = new StartingPostgres(Files.createTempDirectory("kcidb-test-pg-starting-"), freePort());
            pg.begin();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a PostgreSQL in recovery", e);
        }
    }

    private void begin() throws IOException {
        builder().start().close(); // initdb, a clean first start, a clean stop
        Files.writeString(data.resolve("standby.signal"), "", StandardCharsets.UTF_8);
        // zonky's start returns once the server accepts connections, that is after promote(): wait in the background.
        Thread.ofPlatform().daemon().name("starting-postgres").start(() -> {
            try {
                server.complete(builder().setServerConfig("hot_standby", "off").start());
            } catch (IOException | RuntimeException e) {
                server.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!CANNOT_CONNECT_NOW.equals(connectionRefusal())) {
            if (System.nanoTime() - deadline > 0 || server.isDone()) {
                throw new IOException("PostgreSQL in " + data + " did not come up in recovery");
            }
            sleep(100);
        }
    }

    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPgBinaryResolver(EmbeddedPostgresServer::firstBinaryOnClassPath)
                .setPGStartupWait(STARTUP)
                .setServerConfig("fsync", "off");
    }

    /** The SQLSTATE a new connection is refused with now, or null when it is accepted. */
    public String connectionRefusal() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** Ends the recovery (the {@code promote} file and SIGUSR1, what pg_ctl promote does); returns once it accepts. */
    public void promote() {
        try {
            Files.writeString(data.resolve("promote"), "", StandardCharsets.UTF_8);
            String pid = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).strip();
            Process kill = new ProcessBuilder("kill", "-USR1", pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IOException("kill -USR1 " + pid + " failed");
            }
            server.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not promote PostgreSQL in " + data, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL in " + data + " did not accept connections once promoted", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** {@code PG_URI} in kcidb's form, as the superuser. */
    public String pgUri() {
        return "postgresql:host=localhost port=" + port + " dbname=postgres user=postgres";
    }

    @Override
    public void close() {
        try {
            if (!server.isDone()) {
                promote(); // zonky can only stop a server it has seen start
            }
            server.get().close();
        } catch (IOException | ExecutionException | RuntimeException e) {
            // best effort: the directory goes anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
