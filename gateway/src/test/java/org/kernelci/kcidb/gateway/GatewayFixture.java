package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.kernelci.kcidb.contracts.auth.Tokens;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.events.Topics;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.testsupport.TestKafka;
import org.kernelci.kcidb.testsupport.TestNames;

/** A gateway in this JVM over the shared test broker, with its own topics, plus an HTTP client and a topic reader. */
final class GatewayFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "gateway-it-primary-secret-long-enough-for-hs256";
    static final String UNIFIED = "unified-short";

    final TestKafka kafka = TestKafka.shared();
    final Topics topics;
    final Path spoolDir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, ConsumerRecord<String, byte[]>> published = new ConcurrentHashMap<>();
    private KafkaConsumer<String, byte[]> reader;
    Gateway gateway;
    String url;

    GatewayFixture(Path spoolDir) {
        this.spoolDir = spoolDir;
        this.topics = Topics.defaults().withPrefix(TestNames.topic("gw") + ".");
        kafka.createTopics(2, topics.submissions(), topics.submissionResults());
    }

    KafkaSettings kafkaSettings() {
        return KafkaSettings.of(kafka.bootstrapServers(), topics).withExtra(Map.of("max.request.size",
                Integer.toString(kafka.maxMessageBytes())));
    }

    GatewayConfig config() {
        return GatewayConfig.of("127.0.0.1", 0, spoolDir, List.of(SECRET, UNIFIED), kafkaSettings());
    }

    GatewayFixture start(GatewayConfig config) {
        gateway = Gateway.start(config, new PrometheusRegistry(), Clock.systemUTC());
        url = (config.tls().isPresent() ? "https" : "http") + "://127.0.0.1:" + gateway.port();
        return this;
    }

    void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    static String token(String secret, String origin, List<String> origins) {
        return Tokens.issue(secret, origin, origins, Instant.now(), Instant.now().plusSeconds(3600));
    }

    static String token(String origin) {
        return token(SECRET, origin, List.of());
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submit(String token, byte[] body) throws Exception {
        return post("/submit", body, "Authorization", "Bearer " + token);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> status(String id) throws Exception {
        return get("/status?id=" + id, "Authorization", "Bearer " + token("maestro"));
    }

    /** Submits and returns the id, checking the answer is the Rust one byte for byte. */
    String submitOk(String origin, byte[] body) throws Exception {
        HttpResponse<String> r = submit(token(origin), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = JSON.readTree(r.body()).path("id").asText();
        assertThat(r.body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"ok\",\"message\":\"Received submission " + id
                + " with size " + body.length + " bytes\"}");
        return id;
    }

    JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** Waits until the submissions topic holds every id (read from the start by a group of its own). */
    void awaitPublished(java.util.Collection<String> ids, Duration timeout) {
        if (reader == null) {
            Map<String, Object> props = kafka.consumerProperties(kafka.uniqueGroupId("gw-reader"));
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            reader = new KafkaConsumer<>(props);
            reader.subscribe(List.of(topics.submissions()));
        }
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                published.put(r.key(), r);
            }
            return published.keySet().containsAll(ids);
        });
    }

    void sendResult(SubmissionResult result) throws Exception {
        Map<String, Object> props = kafka.producerProperties();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            p.send(result.toRecord(topics.submissionResults())).get();
        }
    }

    @Override
    public void close() {
        stopGateway();
        if (reader != null) {
            reader.close();
        }
    }
}
