package org.kernelci.kcidb.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.CommonOptions;
import org.kernelci.kcidb.service.ConfigException;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsOptions;
import org.kernelci.kcidb.service.ServiceLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar ingest-consumer.jar}: loads submissions from Kafka into PostgreSQL. */
@Command(name = "ingest-consumer", mixinStandardHelpOptions = true, versionProvider = org.kernelci.kcidb.service.Version.class,
        subcommands = DbInitCommand.class,
        description = {"Consumes submission events, validates each against its KCIDB schema version, upgrades it to "
                + "the latest, loads it into PostgreSQL in one transaction and publishes what became of it.",
                "Several instances share the work (consumer group)."})
public final class IngestMain implements Callable<Integer> {
    @Option(names = "--group-id", defaultValue = "${env:KCIDB_INGEST_GROUP_ID:-" + IngestConfig.DEFAULT_GROUP_ID + "}",
            description = "Kafka consumer group (env KCIDB_INGEST_GROUP_ID; default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--spool-dir", defaultValue = "${env:KCIDB_SPOOL_DIR}",
            description = "The gateway's spool, to read claim-checked (large) submissions from (env KCIDB_SPOOL_DIR).")
    Path spoolDir;

    @Option(names = "--no-migrate", negatable = true, defaultValue = "true",
            description = "Create or upgrade the KCIDB schema at start-up (default: on; --no-migrate when db-init does it).")
    boolean migrate;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    @Mixin
    CommonOptions common;

    public static void main(String[] args) {
        ServiceLauncher.launch(new IngestMain(), args);
    }

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        IngestService service = IngestService.start(config(), Observability.newRegistry(), Clock.systemUTC());
        service.lifecycle().stopOnShutdownSignal();
        service.lifecycle().awaitStop();
        return 0;
    }

    IngestConfig config() {
        if (spoolDir != null && !Files.isDirectory(spoolDir)) {
            throw new ConfigException("--spool-dir / KCIDB_SPOOL_DIR " + spoolDir + " is not a directory");
        }
        return new IngestConfig(database.uri(), database.pool("kcidb-ingest"), kafka.settings(), groupId,
                Optional.ofNullable(spoolDir), ops.host(), ops.port(IngestConfig.DEFAULT_HTTP_PORT), migrate, Backoff.DEFAULT);
    }
}
