package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.service.Backoff;

/** The loop with a mock consumer and a scripted processor: offsets follow durable outcomes only. */
class LogspecLoopTest {
    private static final String TOPIC = "failures";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final List<Long> commits = Collections.synchronizedList(new ArrayList<>());
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(offsets.get(TP).offset());
            super.commitSync(offsets);
        }
    };
    private final List<String> processed = Collections.synchronizedList(new ArrayList<>());

    /** A processor whose outcome per event id is scripted. */
    private FailureProcessor processor(Function<FailureEvent, Object> script) {
        return new FailureProcessor(null, null, null, null, null, null, null, false, null, null) {
            @Override
            Outcome process(FailureEvent e, boolean force, Waiter waiter) throws TransientException {
                processed.add(e.id());
                Object o = script.apply(e);
                if (o instanceof TransientException t) {
                    throw t;
                }
                return (Outcome) o;
            }
        };
    }

    private LogspecLoop loop(FailureProcessor p) {
        return new LogspecLoop(consumer, TOPIC, p, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2),
                new LogspecMetrics(new PrometheusRegistry()));
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

    private long committed() {
        OffsetAndMetadata o = consumer.committed(Set.of(TP)).get(TP);
        return o == null ? -1 : o.offset();
    }

    @Test
    void commitsAfterEachDoneEventSkipsMalformedOnesAndRetriesTransientFaults() throws Exception {
        feed(event("a"), "not json".getBytes(), event("b"));
        int[] attempts = {0};
        LogspecLoop loop = loop(processor(e -> e.id().equals("b") && attempts[0]++ == 0
                ? new FailureProcessor.TransientException("db down", null) : FailureProcessor.Outcome.DONE));
        Thread t = Thread.ofPlatform().start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 3);
        loop.close();
        t.join();
        assertThat(processed).containsExactly("a", "b", "b");
    }

    @Test
    void anEventInterruptedByStoppingIsNotCommitted() throws Exception {
        feed(event("a"), event("b"));
        LogspecLoop loop = loop(processor(e -> e.id().equals("a") ? FailureProcessor.Outcome.DONE
                : FailureProcessor.Outcome.STOPPED));
        Thread t = Thread.ofPlatform().start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isAlive());
        assertThat(processed).containsExactly("a", "b");
        assertThat(commits).containsExactly(1L);
        assertThat(consumer.closed()).isTrue();
        loop.close();
    }
}
