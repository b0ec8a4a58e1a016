package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.nio.file.Files;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a spooled submission on the submissions topic: inline up to the configured limit, as a claim check on the
 * spool file above it. Publication is asynchronous and after the 200: the spool file is the durable copy, and a
 * submission whose publication fails stays {@code ready} in the spool.
 */
final class SubmissionPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long inlineLimit;
    private final GatewayMetrics metrics;

    SubmissionPublisher(Producer<String, byte[]> producer, String topic, long inlineLimit, GatewayMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.inlineLimit = inlineLimit;
        this.metrics = metrics;
    }

    void publish(SpooledSubmission s) {
        ProducerRecord<String, byte[]> record;
        try {
            record = event(s).toRecord(topic);
        } catch (IOException e) {
            metrics.publishFailures.inc();
            LOG.error("Cannot read spooled submission {} to publish it; it stays ready in the spool", s.id(), e);
            return;
        }
        try {
            producer.send(record, (meta, error) -> {
                if (error == null) {
                    metrics.published.inc();
                    LOG.debug("Published submission {} to {}-{}@{}", s.id(), meta.topic(), meta.partition(), meta.offset());
                } else {
                    metrics.publishFailures.inc();
                    LOG.error("Publishing submission {} failed; it stays ready in the spool: {}", s.id(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            metrics.publishFailures.inc();
            LOG.error("Publishing submission {} failed; it stays ready in the spool: {}", s.id(), e.toString());
        }
    }

    private SubmissionEvent event(SpooledSubmission s) throws IOException {
        if (s.size() <= inlineLimit) {
            return SubmissionEvent.inline(s.id(), s.origin(), s.receivedAt(), s.sha256(), Files.readAllBytes(s.file()));
        }
        return SubmissionEvent.claimCheck(s.id(), s.origin(), s.receivedAt(), s.size(), s.sha256(),
                s.file().getFileName().toString());
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
