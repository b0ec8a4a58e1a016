package org.kernelci.kcidb.local;

import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import picocli.CommandLine.Command;

/**
 * {@code java -jar local-stack.jar}: the infrastructure of the embedded local mode, for a machine without Docker. Each
 * subcommand runs one server in the foreground until SIGTERM; {@code self-hosted.sh --local} starts them in the
 * background with their data under one folder.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, versionProvider = org.kernelci.kcidb.contracts.cli.Version.class,
        subcommands = {KafkaCommand.class, PostgresCommand.class},
        description = "Runs a single-node Kafka broker or a PostgreSQL server for the embedded local mode.")
public final class LocalStackMain {
    public static void main(String[] args) {
        ServiceLauncher.launch(new LocalStackMain(), args);
    }
}
