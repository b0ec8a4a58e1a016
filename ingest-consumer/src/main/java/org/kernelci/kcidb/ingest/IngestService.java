package org.kernelci.kcidb.ingest;

import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.database.Databases;
import org.kernelci.kcidb.database.KcidbSchema;
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

/** The ingest consumer, wired by hand: pool, schema, validator, loader, consumer loop, ops endpoints. */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    static final String NAME = "ingest-consumer";

    private IngestService() {
    }

    /** Starts the service in this JVM; closing what it returns stops it. */
    public static RunningService start(IngestConfig config, PrometheusRegistry registry, Clock clock) throws Exception {
        return ServiceMain.start(NAME, lifecycle -> start(lifecycle, config, registry, clock));
    }

    /** Starts the parts, each registered with {@code lifecycle}; returns the port of {@code /health}. */
    static int start(Lifecycle lifecycle, IngestConfig config, PrometheusRegistry registry, Clock clock) throws Exception {
        HikariDataSource pool = lifecycle.register("database pool", Databases.pool(config.pg(), config.pool()));
        if (config.migrate()) {
            // PostgreSQL may still be starting (compose, local mode): wait for it rather than crash-loop.
            var outcome = new Retry("KCIDB schema migration", 30, config.backoff(), Databases::isTransient,
                    lifecycle::pause).call(() -> new KcidbSchema(pool).migrate());
            LOG.info("KCIDB schema: {}", outcome);
        }
        KcidbSubmissions kcidb = KcidbSubmissions.create();
        IngestMetrics metrics = new IngestMetrics(registry);
        TreeNames trees = config.treesFile().map(f -> TreeNames.fromFile(f, clock)).orElseGet(TreeNames::defaults);
        LogExcerptOffloader offloader = LogExcerptOffloader.of(config.storageBaseUrl().orElse(null),
                config.storageToken().orElse(null), clock);
        if (config.storageBaseUrl().isPresent() != offloader.enabled()) {
            LOG.warn("STORAGE_BASE_URL is set but STORAGE_TOKEN is not: log excerpts stay in the database");
        }
        KcidbLoader kcidbLoader = new KcidbLoader(pool, loadMethod(pool, config.loadMethod()));
        SubmissionProcessor processor = new SubmissionProcessor(kcidb, new PayloadResolver(config.spoolDir()),
                trees, offloader, kcidbLoader, metrics, clock);
        ExecutorService workers = Executors.newFixedThreadPool(config.workers(),
                Thread.ofPlatform().name("ingest-worker-", 0).daemon(true).factory());
        lifecycle.register("worker pool", () -> workers.shutdownNow());

        List<String> unconfirmed = config.kafka().ensureTopics(config.kafka().topics().all(), Duration.ofSeconds(30));
        if (!unconfirmed.isEmpty()) {
            LOG.warn("Topics not confirmed yet (is Kafka up?): {}", unconfirmed);
        }
        KafkaProducer<String, byte[]> producer = lifecycle.register("producer",
                new KafkaProducer<>(config.kafka().producer("kcidb-ingest")));
        var consumerProps = config.kafka().consumer(config.groupId(), "kcidb-ingest");
        // Up to two transactions' worth per poll: the workers prepare the second while the first loads.
        consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Integer.toString(2 * config.batch().maxSubmissions()));
        ConsumerLoop<String, byte[]> loop = lifecycle.register("consumer loop", IngestLoop.consumerLoop(
                new KafkaConsumer<>(consumerProps), producer, config.kafka().topics(), processor,
                new BatchLoader(kcidbLoader, metrics, clock), workers, config.batch(), config.backoff(), metrics,
                KafkaSettings.maxPollInterval(consumerProps)).start());

        Observability observability = new Observability(registry, List.of(loop.health()));
        OpsServer ops = lifecycle.register("http server", OpsServer.start(config.httpHost(), config.httpPort(), observability));
        LOG.info("Ingest consumer started: group {}, topic {}, metrics on port {}, {} workers, batches of up to {} "
                + "submissions, {} load, {} tree names, log-excerpt offload {}", config.groupId(),
                config.kafka().topics().submissions(), ops.port(), config.workers(), config.batch().maxSubmissions(),
                kcidbLoader.method(), trees.size(), offloader.enabled() ? "on" : "off");
        return ops.port();
    }

    /** COPY stages rows in temporary tables: without the TEMPORARY privilege, fall back to statements (and say so). */
    private static LoadMethod loadMethod(javax.sql.DataSource pool, LoadMethod wanted) {
        if (wanted != LoadMethod.COPY) {
            return wanted;
        }
        try (java.sql.Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT has_database_privilege(current_database(), 'TEMPORARY')")) {
            if (rs.next() && !rs.getBoolean(1)) {
                LOG.warn("The database role may not create temporary tables (GRANT TEMPORARY ON DATABASE, as db-init "
                        + "does): loading with {} instead of {}, about half as fast", LoadMethod.STATEMENTS, wanted);
                return LoadMethod.STATEMENTS;
            }
        } catch (java.sql.SQLException e) {
            LOG.warn("Cannot check the TEMPORARY privilege ({}); loading with {}", e.getMessage(), wanted);
        }
        return wanted;
    }
}
