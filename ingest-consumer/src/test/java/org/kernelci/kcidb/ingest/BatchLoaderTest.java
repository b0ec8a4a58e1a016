package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;

/** How BatchLoader sorts load failures, without a database: fakes make the failures. */
class BatchLoaderTest {
    private final IngestMetrics metrics = new IngestMetrics(new PrometheusRegistry());

    @Test
    void aFailureWithoutAnSqlErrorIsRetriedABoundedNumberOfTimesThenFailsTheSubmissionAsInternalError() {
        BatchLoader loader = new BatchLoader(new KcidbLoader(failing(new IllegalStateException("a bug of ours"))),
                metrics, Clock.systemUTC(), 3);
        List<Prepared> batch = List.of(ready("poison"));
        assertThatThrownBy(() -> loader.load(batch)).isInstanceOf(LoadException.class);
        assertThatThrownBy(() -> loader.load(batch)).isInstanceOf(LoadException.class);
        SubmissionResult result = loader.load(batch).get(0);
        assertThat(result.status()).isEqualTo(SubmissionResult.Status.FAILED);
        assertThat(result.reason()).isEqualTo("internal_error");
        assertThat(result.message()).contains("a bug of ours");
    }

    @Test
    void aDatabaseThatIsDownIsThrownEveryTimeAndNeverFailsASubmission() {
        BatchLoader loader = new BatchLoader(new KcidbLoader(failing(
                new SQLTransientConnectionException("Connection is not available, request timed out"))),
                metrics, Clock.systemUTC(), 3);
        List<Prepared> batch = List.of(ready("a"), ready("b"));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> loader.load(batch)).isInstanceOf(LoadException.class)
                    .satisfies(e -> assertThat(((LoadException) e).transientFault()).isTrue());
        }
        assertThat(metrics.failures.labelValues("internal_error").get()).isZero();
    }

    @Test
    void submissionsThatFailedBeforeTheDatabaseNeedNoConnection() {
        BatchLoader loader = new BatchLoader(new KcidbLoader(failing(new IllegalStateException("unused"))), metrics,
                Clock.systemUTC(), 3);
        SubmissionEvent event = event("bad");
        List<SubmissionResult> results = loader.load(List.of(new Prepared.Failed(event, "schema_violation", "no",
                List.of())));
        assertThat(results).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("schema_violation"));
    }

    private static Prepared ready(String id) {
        SubmissionEvent event = event(id);
        return new Prepared.Ready(event, KcidbRows.of(Documents.checkout("o:" + id, null), 1, id),
                new ObjectCounts(1, 0, 0, 0, 0), IngestMetrics.tally(Documents.checkout("o:" + id, null)), 10);
    }

    private static SubmissionEvent event(String id) {
        return SubmissionEvent.inline(id, Optional.empty(), Instant.EPOCH, "", new byte[0]);
    }

    /** A DataSource whose every connection attempt throws {@code failure}. */
    private static DataSource failing(Exception failure) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw failure;
                    }
                    if (method.getName().equals("toString")) {
                        return "failing data source";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
