package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kernelci.kcidb.contracts.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client settings of a service. Producers are idempotent with {@code acks=all} and compress; consumers never
 * auto-commit (offsets are committed only once the effect is durable) and start from the earliest offset when their
 * group is new, so nothing published before the first start is skipped.
 *
 * @param extra client properties passed through unchanged; they override our defaults
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> extra, Topics topics, int partitions,
                            short replicationFactor) {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);

    public KafkaSettings {
        extra = Map.copyOf(extra);
    }

    public static KafkaSettings of(String bootstrapServers, Topics topics) {
        return new KafkaSettings(bootstrapServers, Map.of(), topics, 12, (short) -1);
    }

    public KafkaSettings withExtra(Map<String, String> more) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(extra);
        merged.putAll(more);
        return new KafkaSettings(bootstrapServers, merged, topics, partitions, replicationFactor);
    }

    public Properties producer(String clientId) {
        Properties p = common(clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(extra);
        return p;
    }

    public Properties consumer(String groupId, String clientId) {
        Properties p = common(clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(extra);
        return p;
    }

    /** The consumer's {@code max.poll.interval.ms}: without a poll for longer, its group drops it. */
    public static Duration maxPollInterval(Properties consumer) {
        Object value = consumer.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        return value == null ? Duration.ofMinutes(5) : Duration.ofMillis(Long.parseLong(value.toString().trim()));
    }

    public Properties admin(String clientId) {
        Properties p = common(clientId);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.putAll(extra);
        return p;
    }

    private Properties common(String clientId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
        return p;
    }

    /**
     * Creates the named topics when they don't exist, with {@link #partitions()} partitions. Existing topics are left
     * as they are. Waits up to {@code timeout} for a broker; a missing broker is not fatal here (the clients keep
     * retrying), so this returns the topics it could not confirm.
     */
    public List<String> ensureTopics(List<String> names, Duration timeout) throws InterruptedException {
        List<String> unconfirmed = new ArrayList<>();
        try (Admin admin = Admin.create(admin("kcidb-topic-setup"))) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Cannot list Kafka topics at {} ({}); assuming they exist or will be created", bootstrapServers,
                        e.toString());
                return List.copyOf(names);
            }
            List<NewTopic> missing = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(partitions),
                            replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty()));
                }
            }
            if (missing.isEmpty()) {
                return List.of();
            }
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("Created Kafka topic {} with {} partitions", entry.getKey(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warn("Cannot create Kafka topic {}: {}", entry.getKey(), e.getCause().toString());
                        unconfirmed.add(entry.getKey());
                    }
                } catch (TimeoutException e) {
                    unconfirmed.add(entry.getKey());
                }
            }
        }
        return unconfirmed;
    }
}
