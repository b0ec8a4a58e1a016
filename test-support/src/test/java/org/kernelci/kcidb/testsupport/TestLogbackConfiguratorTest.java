package org.kernelci.kcidb.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TestLogbackConfiguratorTest {

    @Test
    void librariesLogAtWarnAndOurCodeAtInfo() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger("org.apache.kafka.clients.producer.ProducerConfig").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("kafka.server.KafkaConfig").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.kernelci.kcidb.anything").getEffectiveLevel()).isEqualTo(Level.INFO);
    }
}
