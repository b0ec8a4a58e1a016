package org.kernelci.kcidb.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.gateway.GatewayMain;
import org.kernelci.kcidb.local.LocalStackMain;
import org.kernelci.kcidb.testsupport.TestNames;

/**
 * The gateway's durability promises with real processes: a Kafka broker (its own JVM, on fixed ports, with its data
 * on disk) stopped while submissions keep coming and restarted; a gateway killed (SIGKILL) before it could publish,
 * restarted over the same spool; a 512 MiB body through a gateway whose heap is 128 MiB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayResilienceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "resilience-secret-of-a-decent-length-too";
    private static final long LIMIT = 512L * 1024 * 1024;

    @TempDir
    static Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
    private Topics topics;
    private int kafkaPort;
    private int controllerPort;
    private ServiceProcess broker;

    @BeforeAll
    void startBroker() throws Exception {
        topics = Topics.defaults().withPrefix(TestNames.topic("resilience") + ".");
        kafkaPort = ServiceProcess.freePort();
        controllerPort = ServiceProcess.freePort();
        broker = startKafka();
    }

    @AfterAll
    void stopAll() throws Exception {
        for (ServiceProcess p : processes) {
            p.close();
        }
    }

    @Test
    void brokerStoppedDuringSubmissionsThenRestartedLosesNothing() throws Exception {
        Path spool = Files.createDirectories(work.resolve("spool-outage"));
        Gw gw = startGateway("gateway-outage", spool, bootstrap(), "-Xmx512m");
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread submitter = Thread.ofVirtual().start(() -> {
            int i = 0;
            while (!done.get() && i < 3000) {
                try {
                    HttpResponse<String> r = submit(gw, doc("outage-" + i++));
                    if (r.statusCode() == 200) {
                        accepted.add(JSON.readTree(r.body()).path("id").asText());
                    } else {
                        refused.add(r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    refused.add(e.toString());
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 20);
        assertThat(broker.stop()).as("broker stops on SIGTERM").isIn(0, 143);
        int atStop = accepted.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= atStop + 30);
        broker = startKafka(); // same ports, same data
        int atRestart = accepted.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= atRestart + 20);
        done.set(true);
        submitter.join();

        assertThat(refused).as("the gateway accepts while the broker is away").isEmpty();
        awaitPublished(accepted, Duration.ofSeconds(180), gw);
        await().atMost(Duration.ofSeconds(60)).until(() -> owed(spool).isEmpty());
        assertThat(gw.process.stop()).isIn(0, 143);
    }

    @Test
    void aGatewayKilledBeforePublishingPublishesWhatItOwedWhenRestarted() throws Exception {
        Path spool = Files.createDirectories(work.resolve("spool-crash"));
        Gw doomed = startGateway("gateway-doomed", spool, "127.0.0.1:" + ServiceProcess.freePort(), "-Xmx512m");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> r = submit(doomed, doc("crash-" + i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }
        doomed.process.kill();
        assertThat(owed(spool)).as("every accepted submission is owed after the crash").containsExactlyInAnyOrderElementsOf(ids);

        Gw reborn = startGateway("gateway-reborn", spool, bootstrap(), "-Xmx512m");
        awaitPublished(ids, Duration.ofSeconds(120), reborn);
        await().atMost(Duration.ofSeconds(60)).until(() -> owed(spool).isEmpty());
        assertThat(reborn.process.stop()).isIn(0, 143);
    }

    @Test
    void a512MiBBodyStreamsThroughA128MiBHeapAndOneByteMoreIsRefusedWithoutATrace() throws Exception {
        Path spool = Files.createDirectories(work.resolve("spool-big"));
        Gw gw = startGateway("gateway-big", spool, bootstrap(), "-Xmx128m");
        HttpResponse<String> ok = http.send(bigRequest(gw, LIMIT, true), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String id = JSON.readTree(ok.body()).path("id").asText();
        assertThat(JSON.readTree(ok.body()).path("message").asText()).endsWith("with size " + LIMIT + " bytes");
        assertThat(Files.size(spool.resolve("submission-" + id + ".json"))).isEqualTo(LIMIT);
        Files.delete(spool.resolve("submission-" + id + ".json")); // 512 MiB of disk back; the relay drops its marker

        HttpResponse<String> declared = http.send(bigRequest(gw, LIMIT + 1, true), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        HttpResponse<String> streamed = http.send(bigRequest(gw, LIMIT + 1, false), HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
        assertThat(streamed.body()).startsWith("{\"id\":\"0\",\"status\":\"error\",\"message\":\"Submission body exceeds the limit of "
                + LIMIT + " bytes\"");
        try (var files = Files.list(spool)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("submission-"))).isEmpty();
        }
        assertThat(gw.process.alive()).as("no OutOfMemoryError:\n%s", gw.process.output()).isTrue();
        assertThat(gw.process.output()).doesNotContain("OutOfMemoryError");
        assertThat(gw.process.stop()).isIn(0, 143);
    }

    // ---- helpers ----

    private record Gw(ServiceProcess process, String url) {
    }

    private ServiceProcess startKafka() throws Exception {
        ServiceProcess p = ServiceProcess.start("kafka", LocalStackMain.class.getName(), Map.of(),
                List.of("kafka", "--data-dir", work.resolve("kafka").toString(), "--port", Integer.toString(kafkaPort),
                        "--controller-port", Integer.toString(controllerPort), "--partitions", "3"),
                work.resolve("logs"));
        processes.add(p);
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                if (!p.alive()) {
                    throw new AssertionError("Kafka exited:\n" + p.output());
                }
                admin.describeCluster().nodes().get();
                return true;
            });
        }
        return p;
    }

    private String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    private Gw startGateway(String name, Path spool, String bootstrap, String heap) throws Exception {
        int port = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "JWT_SECRET", SECRET,
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KCIDB_TOPIC_SUBMISSIONS", topics.submissions(),
                "KCIDB_TOPIC_SUBMISSION_RESULTS", topics.submissionResults(),
                "KCIDB_TOPIC_FAILURES", topics.failures(),
                "KCIDB_TOPIC_SUBMISSIONS_DLQ", topics.submissionsDlq(),
                "KCIDB_TOPIC_PARTITIONS", "3",
                "KCIDB_RELAY_INTERVAL", "2"));
        ServiceProcess p = ServiceProcess.start(name, GatewayMain.class.getName(), env,
                List.of("-p", Integer.toString(port), "-b", "127.0.0.1", "-d", spool.toString()), work.resolve("logs"), heap);
        processes.add(p);
        String url = "http://127.0.0.1:" + port;
        p.awaitHealthy(url + "/health", Duration.ofSeconds(90));
        return new Gw(p, url);
    }

    private HttpResponse<String> submit(Gw gw, byte[] body) throws Exception {
        String token = Tokens.issue(SECRET, "maestro", List.of(), Instant.now(), Instant.now().plusSeconds(3600));
        return http.send(HttpRequest.newBuilder(URI.create(gw.url() + "/submit")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code {"pad":"xxx..."}} of exactly {@code size} bytes, generated as it is sent; chunked unless {@code declared}. */
    private HttpRequest bigRequest(Gw gw, long size, boolean declared) {
        String token = Tokens.issue(SECRET, "maestro", List.of(), Instant.now(), Instant.now().plusSeconds(3600));
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> new JsonPad(size));
        return HttpRequest.newBuilder(URI.create(gw.url() + "/submit")).header("Authorization", "Bearer " + token)
                .POST(declared ? HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream).build();
    }

    private static byte[] doc(String suffix) {
        return ("{\"version\":{\"major\":5,\"minor\":3},\"checkouts\":[{\"id\":\"maestro:" + suffix
                + "\",\"origin\":\"maestro\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> owed(Path spool) throws IOException {
        Set<String> ids = new HashSet<>();
        try (var markers = Files.list(spool.resolve("outbox"))) {
            markers.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("submission-"))
                    .forEach(n -> ids.add(n.substring("submission-".length())));
        }
        return ids;
    }

    private void awaitPublished(Collection<String> ids, Duration timeout, Gw gw) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, TestNames.identifier("reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.submissions()));
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    seen.add(r.key());
                }
                Set<String> missing = new HashSet<>(ids);
                missing.removeAll(seen);
                assertThat(missing).as("unpublished submissions; gateway log tail:%n%s", tail(gw.process().output())).isEmpty();
            });
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }

    /** A JSON object of exactly {@code size} bytes, produced on the fly. */
    private static final class JsonPad extends InputStream {
        private static final byte[] HEAD = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TAIL = "\"}".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long pos;

        JsonPad(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                long p = pos + i;
                byte v;
                if (p < HEAD.length) {
                    v = HEAD[(int) p];
                } else if (p >= size - TAIL.length) {
                    v = TAIL[(int) (p - (size - TAIL.length))];
                } else {
                    v = 'x';
                }
                b[off + i] = v;
            }
            pos += n;
            return n;
        }
    }
}
