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
import org.kernelci.kcidb.service.ConsumerLoop;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.OpsServer;
import org.kernelci.kcidb.service.Retry;
import org.kernelci.kcidb.service.ServiceMain;
import org.kernelci.kcidb.service.ServiceMain.RunningService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The logspec consumer, wired by hand: pool, state tables, fetcher, processor, consumer loop, ops endpoints. */
public final class LogspecService {
    private static final Logger LOG = LoggerFactory.getLogger(LogspecService.class);
    static final String NAME = "logspec-consumer";
    static final String APPLICATION = "kcidb-logspec";
    /** The consumer's tables in the state schema: migrations in {@code db/kcidb_ng/logspec/}. */
    static final String STATE_TABLES = "logspec";

    private LogspecService() {
    }

    /** Starts the service in this JVM; closing what it returns stops it. */
    public static RunningService start(LogspecConfig config, PrometheusRegistry registry, Clock clock, PrintStream out)
            throws Exception {
        return ServiceMain.start(NAME, lifecycle -> start(lifecycle, config, registry, clock, out));
    }

    /** Starts the parts, each registered with {@code lifecycle}; returns the port of {@code /health}. */
    public static int start(Lifecycle lifecycle, LogspecConfig config, PrometheusRegistry registry, Clock clock,
                            PrintStream out) throws Exception {
        LogspecMetrics metrics = new LogspecMetrics(registry);
        HikariDataSource pool = lifecycle.register("database pool", Databases.pool(config.pg(), config.pool()));
        FailureProcessor processor = processor(config, pool, metrics, clock, out, lifecycle::pause);
        List<String> unconfirmed = config.kafka().ensureTopics(List.of(config.kafka().topics().failures()),
                Duration.ofSeconds(30));
        if (!unconfirmed.isEmpty()) {
            LOG.warn("Topic not confirmed yet (is Kafka up?): {}", unconfirmed);
        }
        var props = config.kafka().consumer(config.groupId(), APPLICATION);
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20");
        // A 200 MB log may take minutes to fetch and parse; waits for submissions poll and need no margin.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(Duration.ofMinutes(15).toMillis()));
        ConsumerLoop<String, byte[]> loop = lifecycle.register("consumer loop", new ConsumerLoop<>(
                new KafkaConsumer<>(props), ConsumerLoop.Settings.of("logspec-loop", config.kafka().topics().failures(),
                config.backoff(), KafkaSettings.maxPollInterval(props)), new LogspecHandler(processor, metrics)).start());
        Observability observability = new Observability(registry, List.of(loop.health()));
        OpsServer ops = lifecycle.register("http server", OpsServer.start(config.httpHost(), config.httpPort(), observability));
        LOG.info("logspec-consumer started: group {}, topic {}, gateway {}{}, filter {}, metrics on port {}",
                config.groupId(), config.kafka().topics().failures(), config.kcidbUrl(),
                config.dryRun() ? " (DRY RUN: documents are printed, not submitted)" : "",
                config.filter().origins().keySet(), ops.port());
        return ops.port();
    }

    /**
     * The state tables migrated and a processor wired to them; shared with the manual mode.
     *
     * @param pause the waits of retries outside the consumer loop's: PostgreSQL not there yet at start-up, a log's
     *              fetch attempts; the service's stop ends them
     */
    static FailureProcessor processor(LogspecConfig config, HikariDataSource pool, LogspecMetrics metrics, Clock clock,
                                      PrintStream out, Retry.Pause pause) throws Exception {
        Optional<StateSchema.AdminConnector> admin = config.admin().map(uri -> () -> Databases.connect(uri, APPLICATION));
        // PostgreSQL may still be starting (compose, local mode): wait for it rather than crash-loop.
        int applied = new Retry("state schema migration", 30, config.backoff(), Databases::isTransient, pause)
                .call(() -> StateSchema.migrate(pool, STATE_TABLES, admin));
        LOG.info("State tables of the logspec consumer in schema {}: {} migration(s) applied", StateSchema.NAME, applied);
        LOG.info("Log URLs: {}; {}", config.fetch().addresses(), config.fetch().files());
        LogCache cache = new LogCache(config.cacheDir(), config.cacheBytes(), clock);
        LogFetcher fetcher = new LogFetcher(config.fetch(), cache, metrics, pause::pause);
        AnalysisStore store = new AnalysisStore(pool);
        KcidbClient client = new KcidbClient(config.kcidbUrl(), new ServiceToken(config.jwtSecret(), clock));
        return new FailureProcessor(config.filter(), new LogAnalyser(config.parsers(), fetcher, store, metrics,
                new Logspec(InputMode.WORKER), config.dryRun()), new SubmissionFollower(client, store, metrics,
                config.backoff()), store, metrics, config.dryRun(), out);
    }
}
