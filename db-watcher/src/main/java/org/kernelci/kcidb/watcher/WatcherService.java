package org.kernelci.kcidb.watcher;

import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.kernelci.kcidb.contracts.events.FailureEvent;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.StateSchema;
import org.kernelci.kcidb.service.HealthCheck;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsServer;
import org.kernelci.kcidb.service.Retry;
import org.kernelci.kcidb.service.ServiceMain;
import org.kernelci.kcidb.service.ServiceMain.RunningService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The db-watcher, wired by hand: pool, state tables, producer, the watching thread, ops endpoints. */
public final class WatcherService {
    private static final Logger LOG = LoggerFactory.getLogger(WatcherService.class);
    static final String NAME = "db-watcher";
    private static final String APPLICATION = "kcidb-db-watcher";
    /** The watcher's tables in the state schema: migrations in {@code db/kcidb_ng/watcher/}. */
    static final String STATE_TABLES = "watcher";

    private WatcherService() {
    }

    /** Starts the service in this JVM; closing what it returns stops it. */
    public static RunningService start(WatcherConfig config, PrometheusRegistry registry) throws Exception {
        return ServiceMain.start(NAME, lifecycle -> start(lifecycle, config, registry));
    }

    /** Starts the parts, each registered with {@code lifecycle}; returns the port of {@code /health}. */
    static int start(Lifecycle lifecycle, WatcherConfig config, PrometheusRegistry registry) throws Exception {
        HikariDataSource pool = lifecycle.register("database pool", Databases.pool(config.pg(), config.pool()));
        Optional<StateSchema.AdminConnector> admin = config.admin().map(uri -> () -> Databases.connect(uri, APPLICATION));
        // PostgreSQL may still be starting (compose, local mode): wait for it rather than crash-loop.
        int applied = new Retry("state schema migration", 30, config.backoff(), Databases::isTransient,
                lifecycle::pause).call(() -> StateSchema.migrate(pool, STATE_TABLES, admin));
        LOG.info("State tables of the db-watcher in schema {}: {} migration(s) applied", StateSchema.NAME, applied);
        List<String> unconfirmed = config.kafka().ensureTopics(List.of(config.kafka().topics().failures()),
                Duration.ofSeconds(30));
        if (!unconfirmed.isEmpty()) {
            LOG.warn("Topic not confirmed yet (is Kafka up?): {}", unconfirmed);
        }
        KafkaProducer<String, byte[]> producer = lifecycle.register("producer",
                new KafkaProducer<>(config.kafka().producer(APPLICATION)));
        WatcherMetrics metrics = new WatcherMetrics(registry);
        FailureScanner scanner = new FailureScanner(pool, producer, config.kafka().topics().failures(),
                config.filter(), config.statuses(), config.catchUp(), config.overlap(), config.pageSize(), metrics);
        PgUri pg = config.pg();
        Watcher watcher = lifecycle.register("watcher", new Watcher(() -> Databases.connect(pg, APPLICATION + "-listen"),
                scanner, config.pollInterval(), config.retention(), config.backoff(), metrics));
        Thread thread = Thread.ofPlatform().name("db-watcher").start(watcher);

        Duration stale = config.pollInterval().multipliedBy(4).plusMinutes(1);
        Observability observability = new Observability(registry, List.of(
                HealthCheck.named("watcher", () -> !thread.isAlive() ? "stopped"
                        : watcher.sinceLastScan().compareTo(stale) > 0
                        ? "no successful scan for " + watcher.sinceLastScan().toSeconds() + " s" : null)));
        OpsServer ops = lifecycle.register("http server", OpsServer.start(config.httpHost(), config.httpPort(), observability));
        LOG.info("db-watcher started: statuses {}, origins {} (builds) and {} (tests), topic {}, metrics on port {}",
                config.statuses(), config.filter().origins(FailureEvent.Kind.BUILD),
                config.filter().origins(FailureEvent.Kind.TEST), config.kafka().topics().failures(), ops.port());
        return ops.port();
    }
}
