package org.kernelci.kcidb.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestKafkaIT {

    private final TestKafka kafka = TestKafka.shared();

    @Test
    void sharedReturnsTheSameBroker() {
        assertThat(TestKafka.shared()).isSameAs(kafka);
        assertThat(kafka.bootstrapServers()).isNotBlank();
    }

    @Test
    void producesAndConsumesThroughACreatedTopic() throws Exception {
        String topic = kafka.createTopic("fixture", 3);
        assertThat(kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions()).hasSize(3);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                kafka.producerProperties(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        List<String> values = consume(topic, 30, new StringDeserializer());
        assertThat(values).hasSize(30).contains("value-0", "value-29");
    }

    @Test
    void autoCreatedTopicsGetSeveralPartitionsAndLargeMessagesFit() throws Exception {
        String topic = kafka.uniqueTopic("auto");
        byte[] big = new byte[4 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, big)).get(60, TimeUnit.SECONDS);
        }
        assertThat(kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions()).hasSizeGreaterThan(1);

        List<byte[]> values = consume(topic, 1, new ByteArrayDeserializer());
        assertThat(values.get(0)).hasSize(big.length);
    }

    @Test
    void topicNamesAreUnique() {
        assertThat(Set.of(kafka.uniqueTopic("t"), kafka.uniqueTopic("t"), kafka.uniqueTopic("t"))).hasSize(3);
    }

    private <V> List<V> consume(String topic, int expected, org.apache.kafka.common.serialization.Deserializer<V> d) {
        Map<String, Object> props = kafka.consumerProperties(kafka.uniqueGroupId("fixture"));
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), d)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], V> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
