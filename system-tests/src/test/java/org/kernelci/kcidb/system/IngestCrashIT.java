package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.ingest.IngestMain;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * The ingest consumer, from its main in its own JVM, killed with SIGKILL in the middle of a backlog (no shutdown
 * hook, no offset commit, a transaction perhaps half-sent) and started again: every submission ends processed, and
 * the tables hold every object exactly as one delivery would have left it.
 */
class IngestCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUBMISSIONS = 240;
    private static final int TESTS_PER_SUBMISSION = 40;

    @TempDir
    Path work;

    private final TestKafka kafka = TestKafka.shared();
    private TestDatabase db;
    private ServiceProcess ingest;

    @AfterEach
    void cleanUp() throws Exception {
        if (ingest != null) {
            ingest.close();
        }
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void killedMidBacklogAndRestartedNothingIsLostOrDuplicated() throws Exception {
        db = TestPostgres.shared().newDatabase("crash");
        Topics topics = Topics.defaults().withPrefix(TestNames.topic("crash") + ".");
        kafka.createTopics(3, topics.submissions());
        kafka.createTopics(1, topics.submissionResults(), topics.submissionsDlq(), topics.failures());
        String group = TestNames.identifier("ingest");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SUBMISSIONS; i++) {
                producer.send(SubmissionEvent.inline(id(i), Optional.of("crash"), Instant.now(), "", document(i))
                        .toRecord(topics.submissions()));
            }
            producer.flush();
        }

        int port = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KCIDB_TOPIC_SUBMISSIONS", topics.submissions(),
                "KCIDB_TOPIC_SUBMISSION_RESULTS", topics.submissionResults(),
                "KCIDB_TOPIC_FAILURES", topics.failures(),
                "KCIDB_TOPIC_SUBMISSIONS_DLQ", topics.submissionsDlq(),
                "PG_URI", db.pgUri(),
                "KCIDB_INGEST_GROUP_ID", group,
                "KCIDB_HTTP_PORT", Integer.toString(port),
                "KCIDB_INGEST_BATCH_SUBMISSIONS", "20"));
        // The killed member never says goodbye: the group waits a session timeout for it before the restarted one
        // gets its partitions; the broker's minimum keeps that short.
        env.put("KCIDB_KAFKA_PROPERTIES", "session.timeout.ms=6000;heartbeat.interval.ms=1000");
        ingest = ServiceProcess.start("ingest-first", IngestMain.class.getName(), env, List.of(), work);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> endOffset(topics.submissionResults()) >= 20 || !ingest.alive());
        assertThat(ingest.alive()).as(ingest.output()).isTrue();
        long resultsBeforeKill = endOffset(topics.submissionResults());
        assertThat(ingest.kill()).as("SIGKILL").isEqualTo(137);
        assertThat(resultsBeforeKill).as("killed in the middle of the backlog").isLessThan(SUBMISSIONS);

        ingest = ServiceProcess.start("ingest-second", IngestMain.class.getName(), env, List.of(), work);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> committed(group, topics.submissions()) == SUBMISSIONS || !ingest.alive());
        assertThat(ingest.alive()).as(ingest.output()).isTrue();

        Set<String> processed = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topics.submissionResults())) {
            SubmissionResult result = SubmissionResult.fromRecord(r);
            assertThat(result.status()).as("%s: %s", result.id(), result.message()).isEqualTo(SubmissionResult.Status.PROCESSED);
            processed.add(result.id());
        }
        assertThat(processed).hasSize(SUBMISSIONS);
        assertThat(endOffset(topics.submissionsDlq())).isZero();

        assertThat(count("checkouts")).isEqualTo(SUBMISSIONS);
        assertThat(count("builds")).isEqualTo(SUBMISSIONS);
        assertThat(count("tests")).isEqualTo((long) SUBMISSIONS * TESTS_PER_SUBMISSION);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT t.id, t.build_id, t.path, t.status::text, t.duration, t.misc::text "
                     + "FROM tests t")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String testId = rs.getString(1);
                int i = Integer.parseInt(testId.substring("crash:t".length(), testId.indexOf('.')));
                int j = Integer.parseInt(testId.substring(testId.indexOf('.') + 1));
                assertThat(rs.getString(2)).isEqualTo("crash:b" + i);
                assertThat(rs.getString(3)).isEqualTo("kselftest.case" + j);
                assertThat(rs.getString(4)).isEqualTo(j % 7 == 0 ? "FAIL" : "PASS");
                assertThat(rs.getDouble(5)).isEqualTo(i + j / 100.0);
                // With the dashboard's lab rule: a test's missing runtime is its origin.
                assertThat(JSON.readTree(rs.getString(6)))
                        .isEqualTo(JSON.readTree("{\"submission\": " + i + ", \"runtime\": \"crash\"}"));
            }
            assertThat(rows).isEqualTo(SUBMISSIONS * TESTS_PER_SUBMISSION);
        }
        assertThat(ingest.stop()).as("clean SIGTERM after the restart:\n%s", ingest.output()).isIn(0, 143);
        ingest = null;
    }

    private static String id(int i) {
        return String.format("crash%027d", i);
    }

    private static byte[] document(int i) {
        ObjectNode doc = JSON.createObjectNode();
        doc.putObject("version").put("major", 5).put("minor", 3);
        doc.putArray("checkouts").addObject().put("id", "crash:c" + i).put("origin", "crash")
                .put("git_commit_hash", String.format("%040x", i));
        doc.putArray("builds").addObject().put("id", "crash:b" + i).put("origin", "crash").put("checkout_id", "crash:c" + i)
                .put("status", "PASS").put("architecture", "x86_64");
        ArrayNode tests = doc.putArray("tests");
        for (int j = 0; j < TESTS_PER_SUBMISSION; j++) {
            ObjectNode t = tests.addObject().put("id", "crash:t" + i + "." + j).put("origin", "crash")
                    .put("build_id", "crash:b" + i).put("path", "kselftest.case" + j)
                    .put("status", j % 7 == 0 ? "FAIL" : "PASS").put("duration", i + j / 100.0);
            t.putObject("misc").put("submission", i);
        }
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long count(String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long endOffset(String topic) throws Exception {
        int partitions = kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return kafka.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(o -> o.offset()).sum();
    }

    private long committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) throws Exception {
        Map<String, Object> props = kafka.clientProperties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
            return records;
        }
    }

}
