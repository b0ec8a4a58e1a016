package org.kernelci.kcidb.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker for integration tests, started once per JVM and shared by every test in it.
 *
 * <pre>{@code
 * TestKafka kafka = TestKafka.shared();
 * String topic = kafka.createTopic("submissions", 3);          // unique per call
 * Map<String, Object> props = kafka.producerProperties();      // add serializers, then new KafkaProducer<>(props)
 * }</pre>
 *
 * <p><b>Why static accessors and not a JUnit extension:</b> the broker outlives every test class (surefire runs
 * one JVM per module), tests need nothing injected but an address, and a plain call works the same from JUnit,
 * jqwik, JMH or a {@code main}. Isolation comes from unique topic and group names ({@link #createTopic},
 * {@link #uniqueGroupId}), not from fresh brokers.
 *
 * <p><b>Which broker:</b> by default a KRaft combined-mode broker inside this JVM (Kafka's own test kit; no
 * Docker). With {@code KCIDB_TEST_BROKER=testcontainers} and a Docker engine answering, a Testcontainers
 * {@code apache/kafka} container instead (image overridable with {@code KCIDB_TEST_KAFKA_IMAGE}); if Docker is
 * absent, the in-JVM broker is used and a WARN line says so.
 *
 * <p>Broker settings: replication factor 1 for internal topics, {@code group.initial.rebalance.delay.ms=0},
 * auto topic creation on with {@value BrokerSettings#DEFAULT_PARTITIONS} partitions, 16 MiB
 * {@code message.max.bytes}. The broker is closed once, by a shutdown hook (the test kit's {@code close()} is
 * not idempotent).
 */
public final class TestKafka {

    /** Environment variable choosing the broker: unset or {@code in-jvm}, or {@code testcontainers}. */
    public static final String BROKER_ENV = "KCIDB_TEST_BROKER";

    private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    // The per-JVM fixture holder: the broker is expensive (5-20 s cold) and must outlive every test class.
    private static final Object LOCK = new Object();
    private static TestKafka shared;
    private static RuntimeException startFailure;

    private final TestBroker broker;
    private final Admin admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestKafka(TestBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /**
     * The broker shared by this JVM, started on first use. A failed start is remembered and rethrown, so a
     * broken environment fails every test quickly instead of retrying the start each time.
     */
    public static TestKafka shared() {
        synchronized (LOCK) {
            if (shared != null) {
                return shared;
            }
            if (startFailure != null) {
                throw new IllegalStateException("the shared test Kafka broker failed to start earlier in this JVM",
                        startFailure);
            }
            try {
                shared = boot();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            TestKafka started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kcidb-test-kafka-shutdown"));
            return started;
        }
    }

    private static TestKafka boot() {
        long begin = System.nanoTime();
        TestBroker broker;
        try {
            broker = chooseAndStart();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the test Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test Kafka broker", e);
        }
        LOG.info("Test Kafka: {} at {} started in {} ms", broker.description(), broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return new TestKafka(broker);
    }

    private static TestBroker chooseAndStart() throws Exception {
        String requested = System.getenv(BROKER_ENV);
        if (requested != null && requested.strip().equalsIgnoreCase("testcontainers")) {
            if (ContainerKafkaBroker.dockerAvailable()) {
                return ContainerKafkaBroker.start(ContainerKafkaBroker.defaultImage());
            }
            LOG.warn("!!! {}=testcontainers but no Docker engine answers: FALLING BACK to the in-JVM Kafka broker !!!",
                    BROKER_ENV);
        } else if (requested != null && !requested.isBlank() && !requested.strip().equalsIgnoreCase("in-jvm")) {
            LOG.warn("{}={} is not understood (use in-jvm or testcontainers); using the in-JVM broker",
                    BROKER_ENV, requested);
        }
        return InJvmKafkaBroker.start();
    }

    /** The {@code bootstrap.servers} value. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Which broker runs, for log lines and assumptions. */
    public String description() {
        return broker.description();
    }

    /** A unique topic name ({@code prefix-<random>}); the topic is not created (auto-creation is on). */
    public String uniqueTopic(String prefix) {
        return TestNames.topic(prefix);
    }

    /** A unique consumer group id ({@code prefix-<random>}). */
    public String uniqueGroupId(String prefix) {
        return TestNames.topic(prefix);
    }

    /** Creates a topic with a unique name derived from {@code prefix} and returns that name. */
    public String createTopic(String prefix, int partitions) {
        String name = uniqueTopic(prefix);
        createTopics(partitions, name);
        return name;
    }

    /** Creates topics with exactly these names (replication factor 1) and waits until the broker confirms. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>(names.length);
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(List.of(names), partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + List.of(names), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + List.of(names), e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader: the controller confirms a creation before the broker's
     * metadata has it, and a describe or produce right after would meet UNKNOWN_TOPIC_OR_PARTITION.
     */
    private void awaitLeaders(List<String> names, int partitions) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                var described = admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
                if (described.values().stream().allMatch(d -> d.partitions().size() == partitions
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                // not visible yet
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " have no leaders after " + ADMIN_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    /**
     * The shared admin client. Do not close it; for an admin with other settings, use
     * {@code Admin.create(clientProperties())}.
     */
    public Admin admin() {
        return admin;
    }

    /** A mutable map holding just {@code bootstrap.servers}. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Producer basics: bootstrap, {@code acks=all}, request size up to the broker's limit. Add serializers. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, BrokerSettings.MAX_MESSAGE_BYTES);
        return props;
    }

    /** Consumer basics: bootstrap, the group, reading from the earliest offset. Add deserializers. */
    public Map<String, Object> consumerProperties(String groupId) {
        Map<String, Object> props = clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, BrokerSettings.MAX_MESSAGE_BYTES);
        return props;
    }

    /** The broker's {@code message.max.bytes}. */
    public int maxMessageBytes() {
        return BrokerSettings.MAX_MESSAGE_BYTES;
    }

    private void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Test Kafka: closing the admin client failed", e);
        }
        try {
            broker.close();
        } catch (Exception e) {
            LOG.warn("Test Kafka: closing {} failed", broker.description(), e);
        }
    }
}
