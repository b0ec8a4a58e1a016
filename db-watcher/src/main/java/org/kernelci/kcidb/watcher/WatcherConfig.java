package org.kernelci.kcidb.watcher;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * Everything the db-watcher needs, validated at start-up.
 *
 * @param admin        an administrator's connection, used only to create the state schema when the service's role
 *                     may not
 * @param filter       which origins, kinds and test paths to publish
 * @param statuses     the statuses that count as failures
 * @param catchUp      how far back the first scan of an empty state looks
 * @param pollInterval the longest time between scans without a notification
 * @param overlap      how far each scan reaches back before the previous one, for transactions that committed late
 * @param pageSize     objects published per transaction
 * @param retention    how long published objects are remembered
 */
public record WatcherConfig(PgUri pg, PoolSettings pool, Optional<PgUri> admin, KafkaSettings kafka, FailureFilter filter,
                            Set<String> statuses, Duration catchUp, Duration pollInterval, Duration overlap, int pageSize,
                            Duration retention, String httpHost, int httpPort, Backoff backoff) {
    public static final int DEFAULT_HTTP_PORT = 8003;
    public static final Set<String> DEFAULT_STATUSES = Set.of("FAIL", "ERROR", "MISS");
    /** The original worker looked one day back. */
    public static final Duration DEFAULT_CATCH_UP = Duration.ofDays(1);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_PAGE_SIZE = 500;

    public WatcherConfig {
        statuses = Set.copyOf(statuses);
    }
}
