package org.kernelci.kcidb.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.contracts.events.Notifications;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.KcidbSchema;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.ServiceMain.RunningService;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;

/**
 * The db-watcher against a real PostgreSQL and broker: what it publishes (failures with a log, of the filter's origins,
 * kinds and paths, within the catch-up window), that a NOTIFY wakes it, and that restarts and a second instance publish
 * nothing twice. Polling is set to an hour so that only start-up and NOTIFY can trigger a scan.
 */
class WatcherIT {
    private TestDatabase db;
    private Topics topics;
    private KafkaConsumer<String, byte[]> reader;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    private final List<RunningService> services = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.shared().newDatabase();
        new KcidbSchema(db.dataSource()).migrate();
        topics = Topics.defaults().withPrefix(TestNames.topic("watcher") + ".");
        TestKafka.shared().createTopics(3, topics.failures());
        java.util.Map<String, Object> props = TestKafka.shared().consumerProperties(TestNames.identifier("reader"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        reader = new KafkaConsumer<>(props);
        reader.subscribe(List.of(topics.failures()));
    }

    @AfterEach
    void tearDown() {
        services.forEach(RunningService::close);
        reader.close();
        db.drop();
    }

    @Test
    void publishesEachWantedFailureOnceAcrossRestartsAndInstances() throws Exception {
        sql("INSERT INTO builds (checkout_id, id, origin, status, log_url, _timestamp) VALUES "
                + "('c', 'maestro:b-fail', 'maestro', 'FAIL', 'http://logs/b1', now()), "
                + "('c', 'maestro:b-pass', 'maestro', 'PASS', 'http://logs/b2', now()), "
                + "('c', 'maestro:b-nolog', 'maestro', 'FAIL', NULL, now()), "
                + "('c', 'microsoft:b-error', 'microsoft', 'ERROR', 'http://logs/b3', now()), "
                + "('c', 'redhat:b-fail', 'redhat', 'FAIL', 'http://logs/b4', now()), "
                + "('c', 'maestro:b-old', 'maestro', 'FAIL', 'http://logs/b5', now() - interval '2 days')");
        sql("INSERT INTO tests (build_id, id, origin, path, status, log_url, _timestamp) VALUES "
                + "('maestro:b-fail', 'maestro:t-boot', 'maestro', 'boot', 'MISS', 'http://logs/t1', now()), "
                + "('maestro:b-fail', 'maestro:t-base', 'maestro', 'baseline.login', 'FAIL', 'http://logs/t2', now()), "
                + "('maestro:b-fail', 'maestro:t-done', 'maestro', 'boot.nfs', 'DONE', 'http://logs/t3', now())");

        start();
        awaitEvents(3);
        assertThat(keys()).containsExactlyInAnyOrder("maestro:b-fail", "microsoft:b-error", "maestro:t-boot");
        FailureEvent boot = events().stream().filter(e -> e.id().equals("maestro:t-boot")).findFirst().orElseThrow();
        assertThat(boot.kind()).isEqualTo(FailureEvent.Kind.TEST);
        assertThat(boot.path()).isEqualTo("boot");
        assertThat(boot.status()).isEqualTo("MISS");
        assertThat(boot.logUrl()).isEqualTo("http://logs/t1");
        assertThat(boot.at()).isNotNull();

        // A NOTIFY (as the ingest consumer sends after a commit) wakes it: polling is an hour away.
        sql("INSERT INTO tests (build_id, id, origin, path, status, log_url, _timestamp) VALUES "
                + "('x', 'maestro:t-boot2', 'maestro', 'boot.nfs', 'FAIL', 'http://logs/t4', now()); "
                + "NOTIFY " + Notifications.INGEST_CHANNEL);
        awaitEvents(4);

        // Restarted, and with a second instance beside it: nothing is published again, new failures exactly once.
        services.remove(0).close();
        PrometheusRegistry r1 = start();
        PrometheusRegistry r2 = start();
        await().atMost(Duration.ofSeconds(30)).until(() -> scans(r1) >= 1 && scans(r2) >= 1);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            values.append(i == 0 ? "" : ", ").append("('c', 'maestro:burst-").append(i)
                    .append("', 'maestro', 'FAIL', 'http://logs/x', now())");
        }
        sql("INSERT INTO builds (checkout_id, id, origin, status, log_url, _timestamp) VALUES " + values
                + "; NOTIFY " + Notifications.INGEST_CHANNEL);
        awaitEvents(34);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> poll() == 34);
        assertThat(keys()).doesNotHaveDuplicates();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM kcidb_ng.watcher_emitted")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(34);
        }
    }

    @Test
    void aFilterFileNarrowsKindsAndPathsAndNothingLandsAmongTheKcidbTables() throws Exception {
        sql("INSERT INTO tests (build_id, id, origin, path, status, log_url, _timestamp) VALUES "
                + "('b', 'ti:t1', 'ti', 'kselftest.net', 'FAIL', 'file:///l1', now()), "
                + "('b', 'ti:t2', 'ti', 'ltp.x', 'FAIL', 'file:///l2', now())");
        sql("INSERT INTO builds (checkout_id, id, origin, status, log_url, _timestamp) VALUES "
                + "('c', 'ti:b1', 'ti', 'FAIL', 'file:///l3', now())");
        start(FailureFilter.parse("ti:\n  - type: test\n    include_path: kselftest*\n", "test"));
        awaitEvents(1);
        assertThat(keys()).containsExactly("ti:t1");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT table_schema, table_name FROM information_schema.tables "
                     + "WHERE table_schema = 'public' ORDER BY 2")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(2));
            }
            // Only what the KCIDB schema's migrations made (the KCIDB and dashboard tables): the watcher's state is
            // in its own schema.
            assertThat(tables).allMatch(t -> KcidbSchema.TABLES.contains(t) || t.equals(KcidbSchema.HISTORY_TABLE)
                    || t.startsWith("kcidb_ng_held_") || t.startsWith("django_") || t.startsWith("hardware_")
                    || KcidbSchema.DASHBOARD_TABLES.contains(t) || KcidbSchema.DASHBOARD_READ_TABLES.contains(t)
                    || t.equals("processed_listing_items"), "a table of the KCIDB schema");
            assertThat(tables).containsAll(KcidbSchema.TABLES);
        }
    }

    @Test
    void aPageTheBrokerDoesNotTakeIsRolledBackAndPublishedLater() throws Exception {
        sql("INSERT INTO builds (checkout_id, id, origin, status, log_url, _timestamp) VALUES "
                + "('c', 'maestro:b1', 'maestro', 'FAIL', 'http://logs/1', now()), "
                + "('c', 'maestro:b2', 'maestro', 'FAIL', 'http://logs/2', now())");
        org.kernelci.kcidb.database.StateSchema.migrate(db.dataSource(), WatcherService.STATE_TABLES, Optional.empty());
        var failing = new org.apache.kafka.clients.producer.MockProducer<String, byte[]>(false, null,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        WatcherMetrics metrics = new WatcherMetrics(new PrometheusRegistry());
        FailureScanner broken = new FailureScanner(db.dataSource(), failing, "t", FailureFilter.defaults(),
                WatcherConfig.DEFAULT_STATUSES, Duration.ofDays(1), Duration.ofMinutes(5), 10, metrics);
        Thread failer = Thread.ofVirtual().start(() -> {
            while (failing.history().isEmpty()) {
                Thread.onSpinWait();
            }
            failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.scan(FailureEvent.Kind.BUILD))
                .isInstanceOf(FailureScanner.PublishException.class);
        failer.join();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM kcidb_ng.watcher_emitted")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        var working = new org.apache.kafka.clients.producer.MockProducer<String, byte[]>(true, null,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        FailureScanner fine = new FailureScanner(db.dataSource(), working, "t", FailureFilter.defaults(),
                WatcherConfig.DEFAULT_STATUSES, Duration.ofDays(1), Duration.ofMinutes(5), 10, metrics);
        assertThat(fine.scan(FailureEvent.Kind.BUILD)).isEqualTo(2);
        assertThat(working.history()).extracting(r -> r.key()).containsExactly("maestro:b1", "maestro:b2");
        assertThat(fine.scan(FailureEvent.Kind.BUILD)).isZero();
    }

    private PrometheusRegistry start() throws Exception {
        return start(FailureFilter.defaults());
    }

    private PrometheusRegistry start(FailureFilter filter) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        WatcherConfig config = new WatcherConfig(PgUri.parse(db.pgUri()), PoolSettings.defaults("watcher-it")
                .withMaximumPoolSize(3), Optional.empty(), KafkaSettings.of(TestKafka.shared().bootstrapServers(), topics),
                filter, WatcherConfig.DEFAULT_STATUSES, Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(5),
                7, Duration.ofDays(30), "127.0.0.1", 0, new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2));
        services.add(WatcherService.start(config, registry));
        return registry;
    }

    private void sql(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private int poll() {
        reader.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.size();
    }

    private void awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> poll() >= n);
        assertThat(seen).hasSize(n);
    }

    private List<String> keys() {
        return seen.stream().map(ConsumerRecord::key).toList();
    }

    private List<FailureEvent> events() {
        return seen.stream().map(FailureEvent::fromRecord).toList();
    }

    private static double scans(PrometheusRegistry registry) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("kcidb_watcher_scans"))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d)
                        .getValue()).sum();
    }
}
