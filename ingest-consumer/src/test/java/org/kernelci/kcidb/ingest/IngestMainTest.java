package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.database.DbInitCommand;
import picocli.CommandLine;

class IngestMainTest {
    @Test
    void dbInitStaysACommandOfTheIngestJarForEarlierComposeFiles() {
        CommandLine cl = ServiceLauncher.commandLine(new IngestMain());
        assertThat(cl.getSubcommands()).containsKey("db-init");
        Object command = cl.getSubcommands().get("db-init").getCommand();
        assertThat(command).isInstanceOf(DbInitCommand.class);
    }
}
