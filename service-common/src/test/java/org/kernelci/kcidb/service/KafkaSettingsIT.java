package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.testsupport.TestKafka;

/** Our client settings against a real broker. */
class KafkaSettingsIT {
    private final TestKafka kafka = TestKafka.shared();

    @Test
    void ensureTopicsCreatesTheMissingOnesWithTheConfiguredPartitionsAndLeavesExistingOnesAlone() throws Exception {
        String existing = kafka.createTopic("kcidb.existing", 2);
        String missing1 = kafka.uniqueTopic("kcidb.missing");
        String missing2 = kafka.uniqueTopic("kcidb.missing");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), Map.of(), Topics.defaults(), 3, (short) -1);

        List<String> unconfirmed = settings.ensureTopics(List.of(existing, missing1, missing2), Duration.ofSeconds(30));

        assertThat(unconfirmed).isEmpty();
        Map<String, TopicDescription> topics = kafka.admin().describeTopics(List.of(existing, missing1, missing2))
                .allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.get(existing).partitions()).hasSize(2);
        assertThat(topics.get(missing1).partitions()).hasSize(3);
        assertThat(topics.get(missing2).partitions()).hasSize(3);

        // Again: nothing to do, nothing changes.
        assertThat(settings.ensureTopics(List.of(existing, missing1), Duration.ofSeconds(30))).isEmpty();
        assertThat(kafka.admin().describeTopics(List.of(existing)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(existing).partitions()).hasSize(2);
    }

    @Test
    void ensureTopicsWithoutABrokerReportsEveryTopicUnconfirmed() throws Exception {
        // Port 1 on the loopback: connection refused at once. Short client timeouts keep the admin's close quick.
        KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:1", Topics.defaults()).withExtra(Map.of(
                "request.timeout.ms", "1000", "default.api.timeout.ms", "1500", "reconnect.backoff.max.ms", "100"));
        assertThat(nowhere.ensureTopics(List.of("a", "b"), Duration.ofSeconds(1))).containsExactly("a", "b");
    }

    @Test
    void producerAndConsumerSettingsWorkAgainstTheBrokerAndNothingIsCommittedUnlessAsked() throws Exception {
        String topic = kafka.createTopic("kcidb.settings", 1);
        String group = kafka.uniqueGroupId("kcidb.settings");
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), Topics.defaults());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("it-producer"))) {
            producer.send(new ProducerRecord<>(topic, "k1", "v1".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }

        assertThat(readAll(settings, topic, group, 1)).containsExactly("k1");
        // The first consumer closed without committing: a new member of the group starts from the beginning again.
        assertThat(readAll(settings, topic, group, 1)).containsExactly("k1");
    }

    private static List<String> readAll(KafkaSettings settings, String topic, String group, int expected) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumer(group, "it-consumer"))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
                return keys.size() >= expected;
            });
        }
        return keys;
    }
}
