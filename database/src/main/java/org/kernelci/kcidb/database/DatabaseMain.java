package org.kernelci.kcidb.database;

import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.contracts.cli.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code java -jar database.jar}: the database's own commands; {@code db-init} for now. */
@Command(name = "database", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = DbInitCommand.class,
        description = "The KCIDB PostgreSQL database: 'db-init' creates or upgrades it, with its roles.")
public final class DatabaseMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        ServiceLauncher.launch(new DatabaseMain(), args);
    }

    /** Without a command: the usage on standard error, and exit code 2 as for any incomplete command line. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("Missing command: db-init");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
