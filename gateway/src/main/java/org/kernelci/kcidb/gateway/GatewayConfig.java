package org.kernelci.kcidb.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * Everything the gateway needs, validated at start-up ({@link GatewayMain} holds the flags, their environment
 * variables and defaults).
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one (tests; the command line maps 0 to 80/443 as the Rust service)
 * @param spoolDir the spool directory (must exist)
 * @param secrets JWT secrets tried in order (primary, then unified); empty disables authentication
 * @param maxBodySize largest accepted body, in bytes (after decompression)
 * @param inlineLimit bodies up to this size travel inside the event; larger ones as a claim check on the spool file
 * @param kafka Kafka settings and topic names
 * @param statusGroupId consumer group of the status keeper; empty means one group per spool
 *                      ({@code kcidb-gateway-<spool id>}), so that every spool sees every result
 * @param validation {@code --validate-on-submit}, or {@link SubmitValidation#OFF}
 * @param relayInterval how often the relay lists the outbox for submissions still owed to Kafka
 * @param tls the certificate and key files when serving HTTPS
 * @param acmeWebroot where an external certbot puts HTTP-01 challenges ({@code ACME_WEBROOT})
 * @param backoff the waits of the relay and the status keeper between attempts when Kafka or the spool fails
 */
public record GatewayConfig(String host, int port, Path spoolDir, List<String> secrets, long maxBodySize, long inlineLimit,
                            KafkaSettings kafka, Optional<String> statusGroupId, SubmitValidation validation,
                            Duration relayInterval, Optional<TlsFiles> tls, Optional<Path> acmeWebroot,
                            Backoff backoff) {
    public static final long DEFAULT_MAX_BODY = 512L * 1024 * 1024;
    public static final long DEFAULT_INLINE_LIMIT = 1024L * 1024;
    public static final Duration DEFAULT_RELAY_INTERVAL = Duration.ofSeconds(30);
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0);

    public GatewayConfig {
        secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(backoff, "backoff");
    }

    /** The usual configuration for tests and embedding: plain HTTP, no validation, the default relay interval. */
    public static GatewayConfig of(String host, int port, Path spoolDir, List<String> secrets, KafkaSettings kafka) {
        return new GatewayConfig(host, port, spoolDir, secrets, DEFAULT_MAX_BODY, DEFAULT_INLINE_LIMIT, kafka,
                Optional.empty(), SubmitValidation.OFF, DEFAULT_RELAY_INTERVAL, Optional.empty(), Optional.empty(),
                DEFAULT_BACKOFF);
    }

    GatewayConfig withValidation(SubmitValidation v) {
        return new GatewayConfig(host, port, spoolDir, secrets, maxBodySize, inlineLimit, kafka, statusGroupId, v,
                relayInterval, tls, acmeWebroot, backoff);
    }

    GatewayConfig withLimits(long maxBody, long inline) {
        return new GatewayConfig(host, port, spoolDir, secrets, maxBody, inline, kafka, statusGroupId, validation,
                relayInterval, tls, acmeWebroot, backoff);
    }

    GatewayConfig withRelayInterval(Duration interval) {
        return new GatewayConfig(host, port, spoolDir, secrets, maxBodySize, inlineLimit, kafka, statusGroupId, validation,
                interval, tls, acmeWebroot, backoff);
    }

    GatewayConfig withTls(Optional<TlsFiles> files, Optional<Path> webroot) {
        return new GatewayConfig(host, port, spoolDir, secrets, maxBodySize, inlineLimit, kafka, statusGroupId, validation,
                relayInterval, files, webroot, backoff);
    }

    GatewayConfig withBackoff(Backoff b) {
        return new GatewayConfig(host, port, spoolDir, secrets, maxBodySize, inlineLimit, kafka, statusGroupId, validation,
                relayInterval, tls, acmeWebroot, b);
    }

    /** certbot's {@code fullchain.pem} and {@code privkey.pem}. */
    public record TlsFiles(Path fullchain, Path privkey) {
    }
}
