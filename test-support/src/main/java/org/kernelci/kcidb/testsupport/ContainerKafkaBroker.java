package org.kernelci.kcidb.testsupport;

import java.util.Locale;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a Docker container through Testcontainers, for runs that want a broker outside the test JVM.
 */
final class ContainerKafkaBroker implements TestBroker {

    /** Environment variable naming the image; defaults to the Apache image matching our client version. */
    static final String IMAGE_ENV = "KCIDB_TEST_KAFKA_IMAGE";

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers. Testcontainers caches the answer and logs an ERROR block when absent. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static ContainerKafkaBroker start(String image) {
        KafkaContainer container = new KafkaContainer(image);
        // The apache/kafka image maps KAFKA_FOO_BAR to foo.bar.
        BrokerSettings.PROPERTIES.forEach((key, value) ->
                container.withEnv("KAFKA_" + key.replace('.', '_').toUpperCase(Locale.ROOT), value));
        container.start();
        return new ContainerKafkaBroker(container);
    }

    static String defaultImage() {
        String configured = System.getenv(IMAGE_ENV);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        return "apache/kafka:" + AppInfoParser.getVersion();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Testcontainers broker (" + container.getDockerImageName() + ")";
    }

    @Override
    public void close() {
        container.stop();
    }
}
