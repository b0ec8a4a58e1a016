package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.contracts.kcidb.Verdict;
import org.kernelci.kcidb.database.KcidbSchema;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.ServiceMain;
import org.kernelci.kcidb.testsupport.TestDatabase;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;
import org.kernelci.kcidb.testsupport.TestPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end ingest throughput for a backlog of realistic (maestro-like) submissions, next to a plain {@code COPY} of
 * the same rows into the same tables of the same database in the same run. Also: validation alone, and the two load
 * methods on the same batches. Not part of the build (the name ends in neither Test nor IT); see README.md beside the
 * pom for the command. Sizes: {@code -Dkcidb.bench.submissions} (default 2000), {@code -Dkcidb.bench.tests} per
 * submission (default 100).
 */
class IngestBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUBMISSIONS = Integer.getInteger("kcidb.bench.submissions", 2000);
    private static final int TESTS = Integer.getInteger("kcidb.bench.tests", 100);
    private static final int BATCH = Integer.getInteger("kcidb.bench.batch", IngestConfig.DEFAULT_BATCH_SUBMISSIONS);
    private static final int WARM_UP = 300;
    private static final int PARTITIONS = 4;

    @Test
    void run() throws Exception {
        TestKafka kafka = TestKafka.shared();
        TestDatabase database = TestPostgres.shared().newDatabase("bench");
        new KcidbSchema(database.dataSource()).migrate();
        Topics topics = Topics.defaults().withPrefix(TestNames.topic("bench") + ".");
        kafka.createTopics(PARTITIONS, topics.submissions());
        kafka.createTopics(1, topics.submissionResults(), topics.submissionsDlq(), topics.failures());
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), topics);
        String group = TestNames.identifier("bench-ingest");
        IngestConfig defaults = new IngestConfig(PgUri.parse(database.pgUri()), PoolSettings.defaults("bench"), settings,
                group, Optional.empty(), "127.0.0.1", 0, true, Backoff.DEFAULT);
        BatchLimits limits = new BatchLimits(BATCH, defaults.batch().maxBytes(), defaults.batch().linger());
        IngestConfig config = new IngestConfig(defaults.pg(), defaults.pool(), defaults.kafka(), defaults.groupId(),
                defaults.spoolDir(), defaults.httpHost(), defaults.httpPort(), defaults.migrate(), defaults.backoff(),
                defaults.treesFile(), defaults.storageBaseUrl(), defaults.storageToken(), defaults.workers(), limits,
                defaults.loadMethod());

        Random random = new Random(42);
        List<byte[]> warmUp = new ArrayList<>();
        for (int i = 0; i < WARM_UP; i++) {
            warmUp.add(document(random, "warm" + i));
        }
        List<byte[]> backlog = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            backlog.add(document(random, "s" + i));
        }
        long bytes = backlog.stream().mapToLong(b -> b.length).sum();

        // 1. Validation and upgrade alone, one thread (the loop spreads it over the worker pool).
        KcidbSubmissions kcidb = KcidbSubmissions.create();
        warmUp.forEach(kcidb::check);
        ObjectCounts counts = ObjectCounts.NONE;
        long start = System.nanoTime();
        for (byte[] b : backlog) {
            counts = counts.plus(((Verdict.Accepted) kcidb.check(b)).counts());
        }
        double validateSeconds = seconds(start);
        long objects = counts.total();

        // 2. End to end: warm the JIT and the group with a first service, then a backlog for a second one.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producer("bench-gateway"))) {
            try (ServiceMain.RunningService warm = IngestService.start(config, new PrometheusRegistry(), Clock.systemUTC())) {
                publish(producer, topics, warmUp, "warm");
                awaitCommitted(kafka, group, topics.submissions(), WARM_UP, 0);
            }
            truncate(database);
            publish(producer, topics, backlog, "bench");
        }
        String load = uptime();
        start = System.nanoTime();
        double e2eSeconds;
        double startUpSeconds;
        PrometheusRegistry registry = new PrometheusRegistry();
        try (ServiceMain.RunningService service = IngestService.start(config, registry, Clock.systemUTC())) {
            long firstCommit = awaitCommitted(kafka, group, topics.submissions(), WARM_UP + SUBMISSIONS, WARM_UP);
            e2eSeconds = seconds(start);
            startUpSeconds = (firstCommit - start) / 1e9;
        }
        double inTransactions = histogramSum(registry, "kcidb_ingest_load_seconds");
        double transactions = histogramCount(registry, "kcidb_ingest_load_seconds");
        long rowsAfterE2e = rowCount(database);

        // 3. The same rows, built once, by the two load methods on the same batches (200 submissions each).
        List<List<Row>> perSubmission = new ArrayList<>();
        for (int i = 0; i < backlog.size(); i++) {
            JsonNode doc = ((Verdict.Accepted) kcidb.check(backlog.get(i))).upgraded();
            perSubmission.add(KcidbRows.of(doc, Stamp.of(Instant.now(), "bench" + i), "bench" + i));
        }
        Map<LoadMethod, Double> loaderSeconds = new EnumMap<>(LoadMethod.class);
        try (var pool = org.kernelci.kcidb.database.Databases.pool(PgUri.parse(database.pgUri()),
                PoolSettings.defaults("bench-loader"))) {
            for (LoadMethod method : new LoadMethod[] {LoadMethod.STATEMENTS, LoadMethod.COPY}) {
                truncate(database);
                KcidbLoader loader = new KcidbLoader(pool, method);
                start = System.nanoTime();
                for (int from = 0; from < perSubmission.size(); from += BATCH) {
                    RowBatch batch = new RowBatch();
                    perSubmission.subList(from, Math.min(perSubmission.size(), from + BATCH))
                            .forEach(batch::add);
                    loader.load(batch);
                }
                loaderSeconds.put(method, seconds(start));
            }
        }

        // 4. A plain COPY of the same rows (merged by key: the rows the tables end with) into the same tables.
        RowBatch all = new RowBatch();
        perSubmission.forEach(all::add);
        Map<KcidbTable, byte[]> csv = new EnumMap<>(KcidbTable.class);
        long distinctRows = 0;
        for (List<Row> round : all.rounds()) {
            for (KcidbTable table : KcidbTable.values()) {
                StringBuilder sb = new StringBuilder();
                for (Row row : round) {
                    if (row.table() == table) {
                        CopyCsv.append(sb, row);
                        distinctRows++;
                    }
                }
                csv.merge(table, sb.toString().getBytes(StandardCharsets.UTF_8), (a, b) -> {
                    byte[] c = new byte[a.length + b.length];
                    System.arraycopy(a, 0, c, 0, a.length);
                    System.arraycopy(b, 0, c, a.length, b.length);
                    return c;
                });
            }
        }
        truncate(database);
        double copySeconds;
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            start = System.nanoTime();
            for (KcidbTable table : KcidbTable.values()) {
                copy.copyIn("COPY " + table.tableName() + " (" + String.join(", ", UpsertSql.copyColumns(table))
                        + ") FROM STDIN (FORMAT csv)", new java.io.ByteArrayInputStream(csv.get(table)));
            }
            c.commit();
            copySeconds = seconds(start);
        }

        double e2eRate = objects / e2eSeconds;
        double copyRate = distinctRows / copySeconds;
        LOG.info("""

                Ingest benchmark: {} submissions ({} MB), {} objects ({} checkouts, {} builds, {} tests, {} issues, \
                {} incidents), {} distinct rows; {} cores; load before the run: {}
                | measure                                   | seconds | objects or rows/s |
                |-------------------------------------------|--------:|------------------:|
                | end to end (Kafka -> ingest -> PostgreSQL) | {} | {} objects/s |
                | plain COPY of the same rows, same tables   | {} | {} rows/s |
                | ratio end to end / COPY                    |         | {} |
                | validate + upgrade only, 1 thread          | {} | {} objects/s ({} MB/s) |
                | loader alone, STATEMENTS (batches of {})   | {} | {} rows/s |
                | loader alone, COPY + INSERT..SELECT        | {} | {} rows/s |
                rows after end to end: {}; {} database transactions took {} s of the end-to-end run; the first \
                commit came {} s after the service started (start-up, group join, first batch)""",
                SUBMISSIONS, String.format("%.1f", bytes / 1e6), objects, counts.checkouts(), counts.builds(),
                counts.tests(), counts.issues(), counts.incidents(), distinctRows,
                Runtime.getRuntime().availableProcessors(), load,
                f(e2eSeconds), f0(e2eRate), f(copySeconds), f0(copyRate), String.format("%.2f", e2eRate / copyRate),
                f(validateSeconds), f0(objects / validateSeconds), String.format("%.1f", bytes / 1e6 / validateSeconds),
                BATCH, f(loaderSeconds.get(LoadMethod.STATEMENTS)),
                f0(distinctRowsOf(perSubmission) / loaderSeconds.get(LoadMethod.STATEMENTS)),
                f(loaderSeconds.get(LoadMethod.COPY)), f0(distinctRowsOf(perSubmission) / loaderSeconds.get(LoadMethod.COPY)),
                rowsAfterE2e, (long) transactions, f(inTransactions).strip(), f(startUpSeconds).strip());
        database.drop();
    }

    private static double histogramSum(PrometheusRegistry registry, String name) {
        return histogram(registry, name).getDataPoints().stream().mapToDouble(d -> d.getSum()).sum();
    }

    private static double histogramCount(PrometheusRegistry registry, String name) {
        return histogram(registry, name).getDataPoints().stream().mapToDouble(d -> d.getCount()).sum();
    }

    private static io.prometheus.metrics.model.snapshots.HistogramSnapshot histogram(PrometheusRegistry registry,
                                                                                   String name) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
                .map(io.prometheus.metrics.model.snapshots.HistogramSnapshot.class::cast).findFirst().orElseThrow();
    }

    private static long distinctRowsOf(List<List<Row>> perSubmission) {
        RowBatch all = new RowBatch();
        perSubmission.forEach(all::add);
        return all.rowCount();
    }

    /** A maestro-like submission: a checkout (shared by many), a build or two, about TESTS tests, sometimes issues. */
    private static byte[] document(Random r, String tag) {
        ObjectNode doc = JSON.createObjectNode();
        doc.putObject("version").put("major", 5).put("minor", 3);
        int checkout = r.nextInt(100);
        String checkoutId = "maestro:" + String.format("%024x", checkout * 7919L);
        doc.putArray("checkouts").addObject().put("id", checkoutId).put("origin", "maestro")
                .put("tree_name", "mainline")
                .put("git_repository_url", "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git")
                .put("git_commit_hash", String.format("%040x", checkout * 104729L)).put("git_repository_branch", "master")
                .put("git_commit_name", "v6.16-rc" + checkout % 8).put("start_time", "2025-06-01T10:00:00.000000Z")
                .put("patchset_hash", "").put("valid", true).putObject("misc").put("submitted_by", "kernelci-pipeline");
        ArrayNode builds = doc.putArray("builds");
        int nb = 1 + r.nextInt(2);
        for (int b = 0; b < nb; b++) {
            String arch = r.nextBoolean() ? "x86_64" : "arm64";
            ObjectNode build = builds.addObject().put("id", "maestro:" + tag + "b" + b).put("checkout_id", checkoutId)
                    .put("origin", "maestro").put("architecture", arch).put("compiler", "gcc-12")
                    .put("config_name", "defconfig").put("config_url", "https://files.kernelci.org/" + tag + "/config")
                    .put("log_url", "https://files.kernelci.org/" + tag + "/build.log")
                    .put("start_time", "2025-06-01T10:05:00.000000Z").put("duration", 312.5 + r.nextInt(600))
                    .put("status", r.nextInt(20) == 0 ? "FAIL" : "PASS");
            build.putObject("misc").put("lab", "k8s-all").put("kernel_type", "bzimage");
            build.putArray("output_files").addObject().put("name", "kernel")
                    .put("url", "https://files.kernelci.org/" + tag + "/bzImage");
        }
        ArrayNode tests = doc.putArray("tests");
        String[] suites = {"kselftest.cpufreq", "kselftest.net", "ltp.syscalls", "baseline.login", "kunit.exec"};
        for (int t = 0; t < TESTS; t++) {
            String suite = suites[r.nextInt(suites.length)];
            ObjectNode test = tests.addObject().put("id", "maestro:" + tag + "t" + t)
                    .put("build_id", "maestro:" + tag + "b" + r.nextInt(nb)).put("origin", "maestro")
                    .put("path", suite + ".case_" + t).put("status", r.nextInt(10) == 0 ? "FAIL" : "PASS")
                    .put("start_time", "2025-06-01T11:00:00.000000Z").put("duration", r.nextInt(5000) / 100.0)
                    .put("log_url", "https://files.kernelci.org/" + tag + "/test-" + t + ".log");
            ObjectNode env = test.putObject("environment");
            env.putArray("compatible").add("qemu," + (t % 2 == 0 ? "x86_64" : "arm64"));
            env.putObject("misc").put("platform", t % 2 == 0 ? "qemu-x86_64" : "qemu-arm64");
            test.putObject("misc").put("runtime", "lava-collabora").put("job_id", tag + "-" + t);
            if (t % 10 == 0) {
                test.putObject("number").put("value", r.nextInt(100000) / 10.0).put("unit", "ms").put("prefix", "metric");
            }
        }
        if (r.nextInt(10) == 0) {
            String issue = "maestro:issue" + r.nextInt(20);
            doc.putArray("issues").addObject().put("id", issue).put("version", 1).put("origin", "maestro")
                    .put("comment", "kernel BUG at mm/slub.c").putObject("culprit").put("code", true);
            doc.putArray("incidents").addObject().put("id", "maestro:" + tag + "i").put("origin", "maestro")
                    .put("issue_id", issue).put("issue_version", 1).put("test_id", "maestro:" + tag + "t0")
                    .put("present", true);
        }
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(KafkaProducer<String, byte[]> producer, Topics topics, List<byte[]> docs, String prefix) {
        for (int i = 0; i < docs.size(); i++) {
            producer.send(SubmissionEvent.inline(String.format("%s%027d", prefix, i), Optional.of("maestro"),
                    Instant.now(), "", docs.get(i)).toRecord(topics.submissions()));
        }
        producer.flush();
    }

    /** Waits until the group has committed {@code expected} offsets; returns when the first commit beyond {@code from} was seen. */
    private static long awaitCommitted(TestKafka kafka, String group, String topic, long expected, long from)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        long firstProgress = 0;
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long committed = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset()).sum();
            if (committed > from && firstProgress == 0) {
                firstProgress = System.nanoTime();
            }
            if (committed >= expected) {
                return firstProgress;
            }
            Thread.sleep(100); // a benchmark's own wait, not a test's timing assumption
        }
        throw new IllegalStateException("backlog not ingested within 20 minutes");
    }

    private static void truncate(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // The KCIDB tables, and what the ingest consumer writes for the dashboard beside them.
            List<String> tables = new ArrayList<>(KcidbSchema.TABLES);
            tables.addAll(KcidbSchema.DASHBOARD_TABLES);
            tables.addAll(KcidbSchema.HELD_TABLES);
            s.execute("TRUNCATE " + String.join(", ", tables));
            s.execute("VACUUM ANALYZE");
        }
    }

    private static long rowCount(TestDatabase db) throws Exception {
        long n = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String t : KcidbSchema.TABLES) {
                try (var rs = s.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
        }
        return n;
    }

    private static String uptime() {
        try {
            return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .strip();
        } catch (java.io.IOException e) {
            return "(uptime unavailable)";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String f(double seconds) {
        return String.format("%7.2f", seconds);
    }

    private static String f0(double rate) {
        return String.format("%,.0f", rate);
    }
}
