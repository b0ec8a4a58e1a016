package org.kernelci.kcidb.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.cli.CommonOptions;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) from the Apache Kafka server jars, with its log
 * directory under {@code --data-dir}: formatted on first start, reused afterwards.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true, description = "Runs a single-node KRaft Kafka broker.")
final class KafkaCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCommand.class);

    @Option(names = "--data-dir", required = true, description = "Directory for the broker's logs and metadata.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "19092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "19093", description = "Controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--partitions", defaultValue = "12", description = "Default partitions of new topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        Path logs = dataDir.toAbsolutePath().resolve("logs");
        Files.createDirectories(logs);
        Path config = dataDir.toAbsolutePath().resolve("server.properties");
        writeConfig(config, logs);
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(config);
        }
        LOG.info("Starting Kafka on {}:{} (data in {})", host, port, logs);
        kafka.Kafka.main(new String[] {config.toString()});
        return 0;
    }

    private void writeConfig(Path config, Path logs) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logs.toString());
        p.setProperty("num.partitions", Integer.toString(partitions));
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", Integer.toString(8 * 1024 * 1024));
        p.setProperty("log.retention.hours", "168");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(w, "Written by local-stack kafka; regenerated at every start");
        }
    }

    private static void format(Path config) {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new ConfigException("formatting Kafka storage failed: " + out.toString(StandardCharsets.UTF_8).trim());
        }
        LOG.info("Formatted Kafka storage, cluster id {}", clusterId);
    }
}
