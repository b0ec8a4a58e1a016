package org.kernelci.kcidb.gateway;

import io.helidon.webserver.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.kernelci.kcidb.service.HealthCheck;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running gateway: HTTP server, spool, publisher and status keeper, wired by hand and stopped in reverse. */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Lifecycle lifecycle;
    private final WebServer server;

    private Gateway(Lifecycle lifecycle, WebServer server) {
        this.lifecycle = lifecycle;
        this.server = server;
    }

    public static Gateway start(GatewayConfig config, PrometheusRegistry registry, Clock clock) {
        Lifecycle lifecycle = new Lifecycle("gateway");
        try {
            Spool spool = new Spool(config.spoolDir());
            Authenticator auth = new Authenticator(config.secrets(), clock);
            if (!auth.enabled()) {
                LOG.warn("JWT secret is empty: AUTHENTICATION IS DISABLED, anyone can submit anything");
            } else if (auth.anyWeakKey()) {
                LOG.warn("A JWT secret is shorter than 32 bytes; HS256 wants at least 256 bits of key");
            }
            GatewayMetrics metrics = new GatewayMetrics(registry, spool, clock);
            // Create the topics with the configured partitions if they are missing; in the background, because the
            // gateway must start and accept submissions even while Kafka is down.
            Thread.ofVirtual().name("topic-setup").start(() -> {
                try {
                    config.kafka().ensureTopics(config.kafka().topics().all(), Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("Cannot check the Kafka topics: {}", e.toString());
                }
            });
            var producerProps = config.kafka().producer("kcidb-gateway");
            // The 200 is sent before publishing, but a missing broker must not stall request threads for a minute.
            producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            SubmissionPublisher publisher = lifecycle.register("publisher", new SubmissionPublisher(
                    new KafkaProducer<>(producerProps), config.kafka().topics().submissions(), config.inlineLimit(), metrics));
            StatusKeeper keeper = lifecycle.register("status keeper", new StatusKeeper(
                    new KafkaConsumer<>(config.kafka().consumer(config.statusGroupId(), "kcidb-gateway-status")),
                    config.kafka().topics().submissionResults(), spool, metrics));
            Thread.ofPlatform().name("status-keeper").start(keeper);

            GatewayRoutes routes = new GatewayRoutes(auth, spool, publisher, metrics, config.maxBodySize(), clock);
            Observability observability = new Observability(registry, List.of(
                    HealthCheck.named("spool", () -> java.nio.file.Files.isWritable(spool.root()) ? null : "not writable")));
            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .maxPayloadSize(-1) // enforced by the routes, with the Rust gateway's answer
                    .shutdownGracePeriod(Duration.ofSeconds(10))
                    .routing(r -> {
                        observability.routing(r);
                        routes.routing(r);
                    })
                    .build()
                    .start();
            lifecycle.register("http server", server::stop);
            LOG.info("Listening on {}:{}, submissions path: {}", config.host(), server.port(), spool.root());
            return new Gateway(lifecycle, server);
        } catch (RuntimeException e) {
            lifecycle.stop();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public void close() {
        lifecycle.stop();
    }
}
