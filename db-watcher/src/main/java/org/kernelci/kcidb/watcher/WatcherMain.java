package org.kernelci.kcidb.watcher;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.service.CommonOptions;
import org.kernelci.kcidb.service.HealthCheck;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsOptions;
import org.kernelci.kcidb.service.OpsServer;
import org.kernelci.kcidb.service.ServiceLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code java -jar db-watcher.jar}: will watch PostgreSQL for failed builds and tests and publish them on the
 * failures topic (issue 6). For now it validates its configuration, connects to PostgreSQL and Kafka, and serves
 * {@code /health} and {@code /metrics}; it detects and publishes nothing yet, and says so at start-up.
 */
@Command(name = "db-watcher", mixinStandardHelpOptions = true, versionProvider = org.kernelci.kcidb.service.Version.class,
        description = {"Watches PostgreSQL for failed builds and tests with a log and publishes them to Kafka.",
                "Not implemented yet: this version only checks its configuration and connections."})
public final class WatcherMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WatcherMain.class);
    static final int DEFAULT_HTTP_PORT = 8003;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    @Mixin
    CommonOptions common;

    public static void main(String[] args) {
        ServiceLauncher.launch(new WatcherMain(), args);
    }

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        KafkaSettings settings = kafka.settings();
        Lifecycle lifecycle = new Lifecycle("db-watcher");
        var pool = lifecycle.register("database pool", Databases.pool(database.uri(), database.pool("kcidb-db-watcher")));
        PrometheusRegistry registry = Observability.newRegistry();
        Observability observability = new Observability(registry, List.of(HealthCheck.named("database", () -> {
            try (var c = pool.getConnection()) {
                return c.isValid(2) ? null : "not answering";
            } catch (java.sql.SQLException e) {
                return e.getMessage();
            }
        })));
        OpsServer server = lifecycle.register("http server",
                OpsServer.start(ops.host(), ops.port(DEFAULT_HTTP_PORT), observability));
        LOG.warn("db-watcher: failure detection is not implemented yet; nothing is published to {} (issue 6)",
                settings.topics().failures());
        LOG.info("db-watcher started; health and metrics on port {}", server.port());
        lifecycle.stopOnShutdownSignal();
        lifecycle.awaitStop();
        return 0;
    }
}
