package org.kernelci.kcidb.watcher;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.contracts.cli.Version;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsOptions;
import org.kernelci.kcidb.service.ServiceCommand;
import org.kernelci.kcidb.service.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar db-watcher.jar}: publishes failed builds and tests with a log to the failures topic. */
@Command(name = "db-watcher", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Watches PostgreSQL for failed builds and tests with a log, of the origins, kinds and test paths "
                + "the filter names, and publishes each once to the failures topic.",
                "Wakes on the ingest consumer's NOTIFY and polls as a fallback; its position and what it published are "
                        + "kept in PostgreSQL (schema kcidb_ng)."})
public final class WatcherMain extends ServiceCommand {

    @Option(names = "--filter-file", defaultValue = "${env:KCIDB_LOGSPEC_FILTER_FILE}", paramLabel = "FILE",
            description = "The logspec filter (origin -> [{type: build|test, include_path: glob or list}]), as the "
                    + "original logspec_worker.yaml (env KCIDB_LOGSPEC_FILTER_FILE; default: maestro builds and boot* "
                    + "tests, microsoft builds).")
    Path filterFile;

    @Option(names = "--origins", defaultValue = "${env:KCIDB_LOGSPEC_ORIGINS}", split = ",", paramLabel = "ORIGIN",
            description = "Only these origins of the filter (env KCIDB_LOGSPEC_ORIGINS, comma-separated).")
    Set<String> origins;

    @Option(names = "--statuses", defaultValue = "${env:KCIDB_WATCH_STATUSES:-FAIL,ERROR,MISS}", split = ",",
            description = "Statuses that count as failures (env KCIDB_WATCH_STATUSES; default: ${DEFAULT-VALUE}).")
    Set<String> statuses;

    @Option(names = "--catch-up", defaultValue = "${env:KCIDB_WATCH_CATCH_UP:-1d}",
            description = "How far back the first start looks (env KCIDB_WATCH_CATCH_UP; default: ${DEFAULT-VALUE}).")
    String catchUp;

    @Option(names = "--poll-interval", defaultValue = "${env:KCIDB_WATCH_POLL_INTERVAL:-30s}",
            description = "Longest time between scans when no NOTIFY comes (env KCIDB_WATCH_POLL_INTERVAL; "
                    + "default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--overlap", defaultValue = "${env:KCIDB_WATCH_OVERLAP:-5m}",
            description = "How far each scan reaches back before the previous one, to find rows of transactions that "
                    + "committed late (env KCIDB_WATCH_OVERLAP; default: ${DEFAULT-VALUE}).")
    String overlap;

    @Option(names = "--retention", defaultValue = "${env:KCIDB_WATCH_RETENTION:-30d}",
            description = "How long published objects are remembered (env KCIDB_WATCH_RETENTION; default: "
                    + "${DEFAULT-VALUE}).")
    String retention;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    public WatcherMain() {
        super(WatcherService.NAME);
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new WatcherMain(), args);
    }

    @Override
    protected int start(Lifecycle lifecycle) throws Exception {
        return WatcherService.start(lifecycle, config(), Observability.newRegistry());
    }

    WatcherConfig config() {
        PgUri pg = database.uri();
        FailureFilter filter = FailureFilter.configured(filterFile, origins);
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : statuses) {
            String st = s.strip().toUpperCase(Locale.ROOT);
            if (!Set.of("FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP").contains(st)) {
                throw new ConfigException("--statuses / KCIDB_WATCH_STATUSES: '" + s + "' is not a KCIDB status");
            }
            wanted.add(st);
        }
        var config = new WatcherConfig(pg, database.pool("kcidb-db-watcher"), database.admin(pg), kafka.settings(), filter,
                wanted,
                Units.duration(catchUp, "--catch-up / KCIDB_WATCH_CATCH_UP"),
                Units.duration(pollInterval, "--poll-interval / KCIDB_WATCH_POLL_INTERVAL"),
                Units.duration(overlap, "--overlap / KCIDB_WATCH_OVERLAP"), WatcherConfig.DEFAULT_PAGE_SIZE,
                Units.duration(retention, "--retention / KCIDB_WATCH_RETENTION"), ops.host(),
                ops.port(WatcherConfig.DEFAULT_HTTP_PORT), Backoff.DEFAULT);
        if (config.pollInterval().isZero() || config.retention().compareTo(config.catchUp().plus(config.overlap())) < 0) {
            throw new ConfigException("--poll-interval must be positive and --retention at least --catch-up plus --overlap");
        }
        return config;
    }
}
