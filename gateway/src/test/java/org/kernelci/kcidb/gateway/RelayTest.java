package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.EventHeaders;
import org.kernelci.kcidb.service.Backoff;

/** The relay's bookkeeping against a producer whose acknowledgements the test controls. */
class RelayTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Spool spool;
    private MockProducer<String, byte[]> producer;
    private Relay relay;

    @BeforeEach
    void start() {
        spool = new Spool(dir, clock);
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        GatewayMetrics metrics = new GatewayMetrics(new PrometheusRegistry(), () -> 0, () -> 0, Clock.systemUTC());
        relay = new Relay(producer, "subs", 16, spool.outbox(), metrics, Duration.ofMillis(300),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0), Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
    }

    private SpooledSubmission put(String id, String json) throws Exception {
        try (SpoolUpload up = spool.upload(id, Optional.of("maestro"), Instant.parse("2026-01-01T00:00:00Z"))) {
            up.receive(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 1 << 20, JsonStreamChecker.OriginGuard.ANY);
            return up.commit();
        }
    }

    @Test
    void theMarkerGoesOnlyWithTheAcknowledgementAndAFailedSendIsRepublished() throws Exception {
        SpooledSubmission s = put("one", "{\"a\":1}");
        relay.submitted(s);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        ProducerRecord<String, byte[]> first = producer.history().get(0);
        assertThat(first.key()).isEqualTo("one");
        assertThat(first.value()).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(spool.outbox().owed()).as("sent is not acknowledged").containsExactly("one");

        assertThat(producer.errorNext(new TimeoutException("broker away"))).isTrue();
        assertThat(spool.outbox().owed()).as("a failed send stays owed").containsExactly("one");
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= 2);
        ProducerRecord<String, byte[]> again = producer.history().get(1);
        assertThat(again.key()).isEqualTo("one");
        assertThat(new String(again.headers().lastHeader(EventHeaders.ORIGIN).value(), StandardCharsets.UTF_8))
                .as("metadata read back from the marker").isEqualTo("maestro");

        assertThat(producer.completeNext()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.outbox().owed().isEmpty());
    }

    @Test
    void largeBodiesGoAsClaimChecksAndFilesNoLongerReadyAreDropped() throws Exception {
        SpooledSubmission big = put("big", "{\"pad\":\"" + "x".repeat(64) + "\"}");
        relay.submitted(big);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        assertThat(producer.history().get(0).value()).isEmpty();
        assertThat(new String(producer.history().get(0).headers().lastHeader(EventHeaders.SPOOL_REF).value(),
                StandardCharsets.UTF_8)).isEqualTo("submission-big.json");
        producer.completeNext();

        put("gone", "{}");
        Files.move(spool.layout().ready("gone"), spool.layout().archived("gone")); // processed before the relay came to it
        await().atMost(Duration.ofSeconds(10)).until(() -> spool.outbox().owed().isEmpty());
        assertThat(producer.history()).hasSize(1);
    }
}
