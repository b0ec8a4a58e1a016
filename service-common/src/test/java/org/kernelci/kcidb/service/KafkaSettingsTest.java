package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.Topics;

class KafkaSettingsTest {
    private final KafkaSettings settings = KafkaSettings.of("broker:9092", Topics.defaults());

    @Test
    void producersAreIdempotentWaitForAllReplicasAndCompress() {
        Properties p = settings.producer("kcidb-gateway");
        assertThat(p).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "kcidb-gateway")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    @Test
    void consumersNeverAutoCommitAndStartFromTheEarliestCommittedRecord() {
        Properties p = settings.consumer("kcidb-ingest", "kcidb-ingest-1");
        assertThat(p).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "kcidb-ingest")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "kcidb-ingest-1")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    @Test
    void extraPropertiesReachEveryClientAndOverrideOurDefaults() {
        KafkaSettings tuned = settings.withExtra(Map.of("security.protocol", "SSL", "compression.type", "zstd",
                "auto.offset.reset", "latest"));
        assertThat(tuned.producer("p")).containsEntry("security.protocol", "SSL").containsEntry("compression.type", "zstd");
        assertThat(tuned.consumer("g", "c")).containsEntry("security.protocol", "SSL")
                .containsEntry("auto.offset.reset", "latest");
        assertThat(tuned.admin("a")).containsEntry("security.protocol", "SSL")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
    }

    @Test
    void withExtraMergesLaterValuesOverEarlierOnes() {
        KafkaSettings merged = settings.withExtra(Map.of("a", "1", "b", "2")).withExtra(Map.of("b", "3"));
        assertThat(merged.extra()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "3"));
        assertThat(merged.topics()).isEqualTo(settings.topics());
        assertThat(merged.partitions()).isEqualTo(12);
        assertThat(merged.replicationFactor()).isEqualTo((short) -1);
    }

    @Test
    void extraPropertiesAreACopy() {
        Map<String, String> source = new HashMap<>(Map.of("a", "1"));
        KafkaSettings s = new KafkaSettings("b:1", source, Topics.defaults(), 1, (short) 1);
        source.put("b", "2");
        assertThat(s.extra()).containsOnlyKeys("a");
        assertThatThrownBy(() -> s.extra().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }
}
