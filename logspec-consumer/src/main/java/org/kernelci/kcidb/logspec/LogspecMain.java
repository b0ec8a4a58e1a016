package org.kernelci.kcidb.logspec;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.logspec.cli.AnalyzeCommand;
import org.kernelci.kcidb.logspec.engine.Logspec;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code java -jar logspec-consumer.jar}: without a subcommand, the service that will analyse the logs of failures
 * and submit issues and incidents (issue 6) — for now it validates its configuration, connects to PostgreSQL and serves
 * {@code /health} and {@code /metrics}, and says at start-up that it analyses nothing yet. {@code analyze} runs the
 * logspec engine on one log.
 */
@Command(name = "logspec-consumer", mixinStandardHelpOptions = true,
        version = "logspec-consumer (logspec " + Logspec.VERSION + ")",
        description = {"Analyses the logs of failed builds and tests with logspec and submits issues and incidents.",
                "The service is not implemented yet: without a subcommand it only checks its configuration and "
                        + "connections. 'analyze' analyses one log."})
public final class LogspecMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(LogspecMain.class);
    static final int DEFAULT_HTTP_PORT = 8004;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    @Mixin
    CommonOptions common;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests and for {@link #main}. */
    public static CommandLine commandLine() {
        return ServiceLauncher.commandLine(new LogspecMain()).addSubcommand(new AnalyzeCommand());
    }

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        KafkaSettings settings = kafka.settings();
        Lifecycle lifecycle = new Lifecycle("logspec-consumer");
        var pool = lifecycle.register("database pool", Databases.pool(database.uri(), database.pool("kcidb-logspec")));
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
        LOG.warn("logspec-consumer: the service is not implemented yet; nothing is consumed from {} (issue 6)",
                settings.topics().failures());
        LOG.info("logspec-consumer started; health and metrics on port {}", server.port());
        lifecycle.stopOnShutdownSignal();
        lifecycle.awaitStop();
        return 0;
    }
}
