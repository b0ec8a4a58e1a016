package org.kernelci.kcidb.gateway;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.kernelci.kcidb.service.ConsumerLoop;
import org.kernelci.kcidb.service.HealthCheck;
import org.kernelci.kcidb.service.KafkaSettings;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: HTTP server, spool, relay and status keeper, wired by hand and stopped in reverse: the server
 * first (no new requests; in-flight ones finish within the grace period), then the status keeper, then the relay
 * (which lets the producer deliver what it has in flight).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    static final String NAME = "gateway";
    private static final Duration TLS_RELOAD_CHECK = Duration.ofHours(1);

    private final Lifecycle lifecycle;
    private final int port;
    private final String statusGroup;

    private Gateway(Lifecycle lifecycle, int port, String statusGroup) {
        this.lifecycle = lifecycle;
        this.port = port;
        this.statusGroup = statusGroup;
    }

    /** Starts a gateway in this JVM (tests, embedding); {@link #close()} stops it. */
    public static Gateway start(GatewayConfig config, PrometheusRegistry registry, Clock clock) {
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            return start(lifecycle, config, registry, clock);
        } catch (RuntimeException | Error e) {
            lifecycle.stop();
            throw e;
        }
    }

    /** Starts the parts, each registered with {@code lifecycle}. */
    static Gateway start(Lifecycle lifecycle, GatewayConfig config, PrometheusRegistry registry, Clock clock) {
        Spool spool = new Spool(config.spoolDir(), clock);
        removeOrphanUploads(spool);
        Authenticator auth = new Authenticator(config.secrets(), clock);
        if (!auth.enabled()) {
            LOG.warn("!!! JWT secret is empty: AUTHENTICATION IS DISABLED, anyone can submit anything, and origins are "
                    + "not enforced !!!");
        } else if (auth.anyWeakKey()) {
            LOG.warn("A JWT secret is shorter than 32 bytes; HS256 wants at least 256 bits of key");
        }
        if (config.secrets().size() > 1) {
            LOG.info("Unified secret is configured");
        }
        Relay[] relayRef = new Relay[1];
        GatewayMetrics metrics = new GatewayMetrics(registry, spool::countJsonFiles,
                () -> relayRef[0] == null ? 0 : relayRef[0].pending(), clock);
        CompletableFuture<Void> topics = createTopicsInBackground(config);
        adoptInBackground(spool);

        var producerProps = config.kafka().producer("kcidb-gateway");
        // Only the relay thread sends, never a request thread; still, do not stall it a minute per send. The outbox
        // keeps what is not acknowledged, so a send may give up sooner than Kafka's defaults: it is republished.
        producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                config.kafka().extra().getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000"));
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                config.kafka().extra().getOrDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000"));
        // One request in flight per broker: a batch retried after NOT_LEADER_OR_FOLLOWER (a partition still being
        // created or moved) can then never land behind a later one, which the broker refuses as an out-of-order
        // sequence, retried until the delivery timeout. A produce request carries every partition's batch anyway.
        producerProps.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, config.kafka().extra()
                .getOrDefault(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"));
        Relay relay = lifecycle.register("relay", new Relay(new KafkaProducer<>(producerProps),
                config.kafka().topics().submissions(), config.inlineLimit(), spool.outbox(), metrics,
                config.relayInterval(), config.backoff(), clock, topics).start());
        relayRef[0] = relay;

        String group = config.statusGroupId().orElse("kcidb-gateway-" + spool.spoolId());
        var consumerProps = config.kafka().consumer(group, "kcidb-gateway-status");
        ConsumerLoop<String, byte[]> keeper = lifecycle.register("status keeper", new ConsumerLoop<>(
                new KafkaConsumer<>(consumerProps), ConsumerLoop.Settings.of("status-keeper",
                config.kafka().topics().submissionResults(), config.backoff(),
                KafkaSettings.maxPollInterval(consumerProps)), new StatusKeeper(spool, metrics)).start());
        LOG.info("Status keeper reads {} in consumer group {}", config.kafka().topics().submissionResults(), group);

        Observability observability = new Observability(registry, List.of(
                HealthCheck.named("spool", () -> Files.isWritable(spool.root()) ? null : "not writable"),
                keeper.health()));
        GatewayRoutes routes = new GatewayRoutes(auth, spool, relay::submitted, metrics, observability::scrape,
                config.validation(), config.maxBodySize(), config.acmeWebroot(), clock);
        WebServerConfig.Builder builder = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(-1) // enforced by the routes, with the Rust gateway's answer
                // Content-Encoding is decoded by the submit route (gzip, deflate), inside the size limit.
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false).clearContentEncodings()
                        .addContentEncoding(new PassThroughEncoding()))
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .routing(r -> routing(r, routes, observability));
        config.tls().ifPresent(files -> builder.tls(CertbotTls.load(files)));
        WebServer server = builder.build().start();
        lifecycle.register("http server", server::stop);
        config.tls().ifPresent(files -> watchCertificates(server, files, lifecycle));
        LOG.info("Listening on {}:{} ({}), submissions path: {}", config.host(), server.port(),
                config.tls().isPresent() ? "HTTPS" : "HTTP", spool.root());
        return new Gateway(lifecycle, server.port(), group);
    }

    /** The gateway's routes; the same wiring serves the tests' in-memory routing. */
    static void routing(HttpRouting.Builder routing, GatewayRoutes routes, Observability observability) {
        routes.routing(routing); // first: its /metrics extends the generic one
        observability.routing(routing);
    }

    /** Uploads a previous process left unfinished would stay {@code inprogress} forever: removed before listening. */
    private static void removeOrphanUploads(Spool spool) {
        try {
            int removed = spool.removeOrphanUploads();
            if (removed > 0) {
                LOG.warn("Removed {} unfinished upload(s) a previous gateway left in {}", removed, spool.root());
            }
        } catch (IOException e) {
            LOG.error("Cannot look for unfinished uploads in {}: {}", spool.root(), e.toString());
        }
    }

    /** certbot renews certificates in place; reload them without a restart (the Rust service needed one). */
    private static void watchCertificates(WebServer server, GatewayConfig.TlsFiles files, Lifecycle lifecycle) {
        Thread t = Thread.ofVirtual().name("tls-reload").unstarted(() -> {
            long seen = modified(files);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(TLS_RELOAD_CHECK);
                } catch (InterruptedException e) {
                    return;
                }
                long now = modified(files);
                if (now != seen) {
                    try {
                        server.reloadTls(CertbotTls.load(files));
                        seen = now;
                        LOG.info("Reloaded the renewed TLS certificate {}", files.fullchain());
                    } catch (RuntimeException e) {
                        LOG.error("Cannot reload the TLS certificate; keeping the current one: {}", e.getMessage());
                    }
                }
            }
        });
        lifecycle.register("tls reload", t::interrupt);
        t.start();
    }

    private static long modified(GatewayConfig.TlsFiles files) {
        try {
            return Files.getLastModifiedTime(files.fullchain()).toMillis() + Files.getLastModifiedTime(files.privkey()).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Topics are created if missing, in the background: the gateway accepts submissions while Kafka is down. */
    private static CompletableFuture<Void> createTopicsInBackground(GatewayConfig config) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("topic-setup").start(() -> {
            try {
                config.kafka().ensureTopics(config.kafka().topics().all(), Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("Cannot check the Kafka topics: {}", e.toString());
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static void adoptInBackground(Spool spool) {
        Thread.ofVirtual().name("spool-adoption").start(() -> {
            try {
                long n = spool.outbox().adoptLegacyReadyFiles();
                if (n >= 0) {
                    LOG.info("First start over this spool: {} ready file(s) from before the outbox are now owed to Kafka", n);
                }
            } catch (IOException e) {
                LOG.error("Cannot adopt the spool's earlier ready files (retried at the next start): {}", e.toString());
            }
        });
    }

    public int port() {
        return port;
    }

    /** The consumer group of the status keeper. */
    public String statusGroup() {
        return statusGroup;
    }

    @Override
    public void close() {
        lifecycle.stop();
    }
}
