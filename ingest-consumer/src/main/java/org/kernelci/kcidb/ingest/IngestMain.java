package org.kernelci.kcidb.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.contracts.cli.Version;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.database.DbInitCommand;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsOptions;
import org.kernelci.kcidb.service.ServiceCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar ingest-consumer.jar}: loads submissions from Kafka into PostgreSQL. */
@Command(name = "ingest-consumer", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = DbInitCommand.class,
        description = {"Consumes submission events, validates each against its KCIDB schema version, upgrades it to "
                + "the latest, loads it into PostgreSQL in one transaction and publishes what became of it.",
                "Several instances share the work (consumer group)."})
public final class IngestMain extends ServiceCommand {
    @Option(names = "--group-id", defaultValue = "${env:KCIDB_INGEST_GROUP_ID:-" + IngestConfig.DEFAULT_GROUP_ID + "}",
            description = "Kafka consumer group (env KCIDB_INGEST_GROUP_ID; default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--spool-dir", defaultValue = "${env:KCIDB_SPOOL_DIR}",
            description = "The gateway's spool, to read claim-checked (large) submissions from (env KCIDB_SPOOL_DIR).")
    Path spoolDir;

    @Option(names = "--no-migrate", negatable = true, defaultValue = "true",
            description = "Create or upgrade the KCIDB schema at start-up (default: on; --no-migrate when db-init does it).")
    boolean migrate;

    @Option(names = "--trees-file", defaultValue = "${env:KCIDB_TREES_FILE}",
            description = "trees.yml naming trees by repository URL (env KCIDB_TREES_FILE; default: the original "
                    + "deployment's, shipped inside). Re-read when it changes.")
    Path treesFile;

    @Option(names = "--storage-base-url", defaultValue = "${env:STORAGE_BASE_URL}",
            description = "Log-excerpt store (env STORAGE_BASE_URL); with --storage-token, excerpts over 256 "
                    + "characters are uploaded there and replaced by a link (default: off).")
    String storageBaseUrl;

    @Option(names = "--storage-token", defaultValue = "${env:STORAGE_TOKEN}",
            description = "Bearer token of the log-excerpt store (env STORAGE_TOKEN).")
    String storageToken;

    @Option(names = "--workers", defaultValue = "${env:KCIDB_INGEST_WORKERS:-0}",
            description = "Threads validating and upgrading the submissions of a batch (env KCIDB_INGEST_WORKERS; "
                    + "default 0 = one per CPU).")
    int workers;

    @Option(names = "--batch-submissions", defaultValue = "${env:KCIDB_INGEST_BATCH_SUBMISSIONS:-"
            + IngestConfig.DEFAULT_BATCH_SUBMISSIONS + "}",
            description = "At most this many submissions per database transaction (env "
                    + "KCIDB_INGEST_BATCH_SUBMISSIONS; default: ${DEFAULT-VALUE}).")
    int batchSubmissions;

    @Option(names = "--batch-bytes", defaultValue = "${env:KCIDB_INGEST_BATCH_BYTES:-"
            + IngestConfig.DEFAULT_BATCH_BYTES + "}",
            description = "At most about this many bytes of submissions per transaction (env KCIDB_INGEST_BATCH_BYTES; "
                    + "default: ${DEFAULT-VALUE}).")
    long batchBytes;

    @Option(names = "--batch-linger-ms", defaultValue = "${env:KCIDB_INGEST_BATCH_LINGER_MS:-"
            + IngestConfig.DEFAULT_BATCH_LINGER_MS + "}",
            description = "Wait at most this long for more submissions to fill a batch (env "
                    + "KCIDB_INGEST_BATCH_LINGER_MS; default: ${DEFAULT-VALUE}).")
    long batchLingerMs;

    @Option(names = "--load-method", defaultValue = "${env:KCIDB_INGEST_LOAD_METHOD:-COPY}",
            description = "COPY (into a staging table, then one upsert per table) or STATEMENTS (one upsert per row, "
                    + "batched) (env KCIDB_INGEST_LOAD_METHOD; default: ${DEFAULT-VALUE}).")
    LoadMethod loadMethod;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    public IngestMain() {
        super(IngestService.NAME);
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new IngestMain(), args);
    }

    @Override
    protected int start(Lifecycle lifecycle) throws Exception {
        return IngestService.start(lifecycle, config(), Observability.newRegistry(), Clock.systemUTC());
    }

    IngestConfig config() {
        if (spoolDir != null && !Files.isDirectory(spoolDir)) {
            throw new ConfigException("--spool-dir / KCIDB_SPOOL_DIR " + spoolDir + " is not a directory");
        }
        if (treesFile != null && !Files.isRegularFile(treesFile)) {
            throw new ConfigException("--trees-file / KCIDB_TREES_FILE " + treesFile + " is not a file");
        }
        BatchLimits batch;
        try {
            batch = new BatchLimits(batchSubmissions, batchBytes, java.time.Duration.ofMillis(batchLingerMs));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("batch limits: " + e.getMessage(), e);
        }
        int threads = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        return new IngestConfig(database.uri(), database.pool("kcidb-ingest"), kafka.settings(), groupId,
                Optional.ofNullable(spoolDir), ops.host(), ops.port(IngestConfig.DEFAULT_HTTP_PORT), migrate,
                Backoff.DEFAULT, Optional.ofNullable(treesFile), Optional.ofNullable(storageBaseUrl).filter(s -> !s.isBlank()),
                Optional.ofNullable(storageToken).filter(s -> !s.isBlank()), threads, batch, loadMethod);
    }
}
