package org.kernelci.kcidb.ingest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.kernelci.kcidb.service.KafkaSettings;

/** Reads a whole topic from the beginning, outside any consumer group (assigned partitions, nothing committed). */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    TopicReader(KafkaSettings settings, String topic) {
        Properties props = settings.consumer("unused", "it-reader-" + topic);
        props.remove("group.id");
        consumer = new KafkaConsumer<>(props);
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until at least {@code count} records have been read; returns all read so far. */
    List<ConsumerRecord<String, byte[]>> awaitAtLeast(int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            poll();
            return records.size() >= count;
        });
        return List.copyOf(records);
    }

    /** Everything the topic holds now (up to its end offsets at the time of the call). */
    List<ConsumerRecord<String, byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            poll();
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return List.copyOf(records);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
