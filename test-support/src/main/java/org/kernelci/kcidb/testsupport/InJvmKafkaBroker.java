package org.kernelci.kcidb.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft (combined broker + controller) Kafka running inside this JVM.
 *
 * <p>This is the only class that touches Kafka's internal test kit ({@code kafka-test-common-runtime}): its
 * package and builder methods change between Kafka releases, so an upgrade should only need edits here.
 * The kit formats temporary log directories, binds random ports and deletes the directories on close.
 */
final class InJvmKafkaBroker implements TestBroker {

    private final KafkaClusterTestKit cluster;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static InJvmKafkaBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                // The kit defaults to the newest *unstable* metadata version; test what production runs.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        BrokerSettings.PROPERTIES.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            // The kit's close() is not idempotent (it throws on a second call), so close exactly once here.
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new InJvmKafkaBroker(cluster);
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker (Kafka test kit)";
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
