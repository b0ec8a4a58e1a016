package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.ConsumerLoop;
import org.kernelci.kcidb.service.Retry;

/** The handler in the consumer loop, with a mock consumer and a scripted processor: offsets follow durable outcomes. */
class LogspecHandlerTest {
    private static final String TOPIC = "failures";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final String WAIT = "wait";

    private final List<Long> commits = Collections.synchronizedList(new ArrayList<>());
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            commits.add(offsets.get(TP).offset());
            super.commitSync(offsets, timeout);
        }
    };
    private final List<String> processed = Collections.synchronizedList(new ArrayList<>());
    private ConsumerLoop<String, byte[]> loop;

    @AfterEach
    void stop() throws Exception {
        loop.close();
    }

    /** A processor whose outcome per event is scripted: nothing (done), a transient fault, or a long wait. */
    private FailureProcessor processor(Function<FailureEvent, Object> script) {
        return new FailureProcessor(null, null, null, null, null, false, null) {
            @Override
            void process(FailureEvent e, boolean force, Retry.Pause pause) throws TransientException,
                    InterruptedException {
                processed.add(e.id());
                Object o = script.apply(e);
                if (o instanceof TransientException t) {
                    throw t;
                }
                if (WAIT.equals(o)) {
                    pause.pause(Duration.ofMinutes(10));
                }
            }
        };
    }

    private void start(FailureProcessor p) {
        loop = new ConsumerLoop<>(consumer, ConsumerLoop.Settings.of("logspec-loop", TOPIC,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2), Duration.ofMinutes(15)),
                new LogspecHandler(p, new LogspecMetrics(new PrometheusRegistry()))).start();
    }

    private void feed(byte[]... values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            for (int i = 0; i < values.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k" + i, values[i]));
            }
        });
    }

    private static byte[] event(String id) {
        return new FailureEvent(FailureEvent.Kind.BUILD, id, "demo", null, "FAIL", "file:///x", null).toJson();
    }

    @Test
    void commitsAfterEachEventSkipsMalformedOnesAndRetriesTransientFaults() {
        feed(event("a"), "not json".getBytes(), event("b"));
        int[] attempts = {0};
        start(processor(e -> e.id().equals("b") && attempts[0]++ == 0
                ? new FailureProcessor.TransientException("db down", null) : null));
        await().atMost(Duration.ofSeconds(10)).until(() -> commits.contains(3L));
        assertThat(commits).containsExactly(1L, 2L, 3L);
        assertThat(processed).containsExactly("a", "b", "b");
    }

    @Test
    void anEventInterruptedByStoppingIsNotCommitted() throws Exception {
        feed(event("a"), event("b"));
        start(processor(e -> e.id().equals("a") ? null : WAIT));
        await().atMost(Duration.ofSeconds(10)).until(() -> processed.contains("b"));
        loop.close();
        assertThat(processed).containsExactly("a", "b");
        assertThat(commits).containsExactly(1L);
        assertThat(consumer.closed()).isTrue();
    }
}
