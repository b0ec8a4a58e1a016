package org.kernelci.kcidb.gateway;

import java.io.IOException;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.kernelci.kcidb.contracts.events.MalformedEventException;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.service.Batch;
import org.kernelci.kcidb.service.RecordHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies submission results to the spool, as a handler of the gateway's consumer loop: {@code processed} moves the
 * file to {@code archive/}, {@code failed} to {@code failed/} with the reason beside it. The loop commits the offsets
 * only after the moves (and their directory fsyncs); applying a result twice is harmless, since a file already moved is
 * simply not found. A result for a submission that is not in this spool (another gateway's) is ignored the same way.
 *
 * <p>A spool that cannot be written is not a result's fault: the move fails, and the loop retries the results with
 * backoff for as long as it takes, polling meanwhile so the group keeps the gateway, while {@code /health} reports the
 * trouble; once the spool is usable again every result is applied, without a restart.
 *
 * <p>Consumer group: by default one per spool ({@code kcidb-gateway-<spool id>}). Gateways with separate spools
 * must each see every result (with one shared group, the partitions would be split between them and some files
 * would never move); gateways sharing one spool share the group and split the work.
 */
final class StatusKeeper implements RecordHandler<String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(StatusKeeper.class);

    private final Spool spool;
    private final GatewayMetrics metrics;

    StatusKeeper(Spool spool, GatewayMetrics metrics) {
        this.spool = spool;
        this.metrics = metrics;
    }

    @Override
    public void handle(Batch<String, byte[]> batch) throws IOException {
        for (ConsumerRecord<String, byte[]> record : batch.records()) {
            apply(record);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) throws IOException {
        SubmissionResult result;
        try {
            result = SubmissionResult.fromRecord(record);
        } catch (MalformedEventException e) {
            LOG.error("Skipping malformed result at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        String id = result.id();
        String status = result.status().name().toLowerCase(Locale.ROOT);
        boolean moved;
        try {
            moved = switch (result.status()) {
                case PROCESSED -> spool.archive(id);
                case FAILED -> spool.fail(id, result.toJson());
            };
        } catch (IOException e) {
            throw new IOException("cannot apply the result of submission " + id + " to the spool: " + e, e);
        }
        metrics.resultsApplied.labelValues(status).inc();
        if (moved) {
            LOG.info("Submission {} {}{}", id, status,
                    result.reason() == null ? "" : " (" + result.reason() + ": " + result.message() + ")");
        } else {
            LOG.debug("Result for submission {} found no ready file (already applied, or another spool)", id);
        }
    }
}
