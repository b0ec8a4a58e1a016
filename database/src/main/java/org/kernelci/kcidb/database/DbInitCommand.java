package org.kernelci.kcidb.database;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.cli.CommonOptions;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code db-init}: creates or upgrades the KCIDB database, idempotently. A command of the database module's own jar
 * ({@code java -jar database.jar db-init}), also mounted under the ingest consumer ({@code ingest-consumer db-init}),
 * which compose files of earlier releases run.
 */
@Command(name = "db-init", mixinStandardHelpOptions = true,
        description = {"Creates the database and the kcidb_editor/kcidb_viewer roles when POSTGRES_PASSWORD (the "
                + "administrator's) is set, then creates or upgrades the KCIDB schema and grants. Safe to run on every "
                + "start; running it twice changes nothing.",
                "Environment: PG_URI (the editor's connection), POSTGRES_PASSWORD, POSTGRES_USER, KCIDB_VIEWER_PASSWORD."})
public final class DbInitCommand implements Callable<Integer> {
    @Option(names = "--pg-uri", defaultValue = "${env:PG_URI}", description = "The editor's connection (env PG_URI).")
    String pgUri;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        common.applyLogging();
        Map<String, String> env = new HashMap<>(System.getenv());
        if (pgUri != null) {
            env.put(DbInitSettings.ENV_PG_URI, pgUri);
        }
        DbInitReport report;
        try {
            report = new DbInit(DbInitSettings.fromEnvironment(env)).run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        } catch (DatabaseSetupException e) {
            throw new ConfigException(e.getMessage(), e); // the launcher names the command
        }
        spec.commandLine().getOut().println("db-init: " + report);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
