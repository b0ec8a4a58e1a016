package org.kernelci.kcidb.logspec.consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.StateSchema;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.kernelci.kcidb.service.HealthCheck;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsServer;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running logspec consumer, wired by hand: pool, state tables, fetcher, processor, consumer loop, ops endpoints. */
public final class LogspecService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogspecService.class);
    static final String APPLICATION = "kcidb-logspec";
    /** The consumer's tables in the state schema: migrations in {@code db/kcidb_ng/logspec/}. */
    static final String STATE_TABLES = "logspec";

    private final Lifecycle lifecycle;
    private final OpsServer ops;

    private LogspecService(Lifecycle lifecycle, OpsServer ops) {
        this.lifecycle = lifecycle;
        this.ops = ops;
    }

    public static LogspecService start(LogspecConfig config, PrometheusRegistry registry, Clock clock, PrintStream out)
            throws Exception {
        Lifecycle lifecycle = new Lifecycle("logspec-consumer");
        try {
            LogspecMetrics metrics = new LogspecMetrics(registry);
            HikariDataSource pool = lifecycle.register("database pool", Databases.pool(config.pg(), config.pool()));
            FailureProcessor processor = processor(config, pool, metrics, clock, out);
            List<String> unconfirmed = config.kafka().ensureTopics(List.of(config.kafka().topics().failures()),
                    Duration.ofSeconds(30));
            if (!unconfirmed.isEmpty()) {
                LOG.warn("Topic not confirmed yet (is Kafka up?): {}", unconfirmed);
            }
            var props = config.kafka().consumer(config.groupId(), APPLICATION);
            props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
            // A 200 MB log may take minutes to fetch and parse; waits for submissions poll and need no margin.
            props.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(Duration.ofMinutes(15).toMillis()));
            LogspecLoop loop = lifecycle.register("consumer loop", new LogspecLoop(new KafkaConsumer<>(props),
                    config.kafka().topics().failures(), processor, config.backoff(), metrics));
            Thread thread = Thread.ofPlatform().name("logspec-loop").start(loop);
            Observability observability = new Observability(registry, List.of(
                    HealthCheck.named("consumer loop", () -> thread.isAlive() ? null : "stopped")));
            OpsServer ops = lifecycle.register("http server", OpsServer.start(config.httpHost(), config.httpPort(), observability));
            LOG.info("logspec-consumer started: group {}, topic {}, gateway {}{}, filter {}, metrics on port {}",
                    config.groupId(), config.kafka().topics().failures(), config.kcidbUrl(),
                    config.dryRun() ? " (DRY RUN: documents are printed, not submitted)" : "",
                    config.filter().origins().keySet(), ops.port());
            return new LogspecService(lifecycle, ops);
        } catch (Exception | Error e) {
            lifecycle.stop();
            throw e;
        }
    }

    /** The state tables migrated and a processor wired to them; shared with the manual mode. */
    static FailureProcessor processor(LogspecConfig config, HikariDataSource pool, LogspecMetrics metrics, Clock clock,
                                      PrintStream out) throws Exception {
        Optional<StateSchema.AdminConnector> admin = config.admin().map(uri -> () -> Databases.connect(uri, APPLICATION));
        // PostgreSQL may still be starting (compose, local mode): wait for it rather than crash-loop.
        int applied = new Retry("state schema migration", 30, config.backoff(), Databases::isTransient)
                .call(() -> StateSchema.migrate(pool, STATE_TABLES, admin));
        LOG.info("State tables of the logspec consumer in schema {}: {} migration(s) applied", StateSchema.NAME, applied);
        LogCache cache = new LogCache(config.cacheDir(), config.cacheBytes(), clock);
        LogFetcher fetcher = new LogFetcher(config.fetch(), cache, metrics, d -> Thread.sleep(d.toMillis()));
        KcidbClient client = new KcidbClient(config.kcidbUrl(), new ServiceToken(config.jwtSecret(), clock));
        return new FailureProcessor(config.filter(), config.parsers(), fetcher, new AnalysisStore(pool), client, metrics,
                new Logspec(InputMode.WORKER), config.dryRun(), out, config.backoff());
    }

    public int httpPort() {
        return ops.port();
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public void close() {
        lifecycle.stop();
    }
}
