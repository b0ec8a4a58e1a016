package org.kernelci.kcidb.gateway;

import java.nio.file.Path;
import java.util.List;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * Everything the gateway needs, validated at start-up.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one (tests)
 * @param spoolDir the spool directory (must exist)
 * @param secrets JWT secrets tried in order (primary, then unified); empty disables authentication
 * @param maxBodySize largest accepted body, in bytes
 * @param inlineLimit bodies up to this size travel inside the event; larger ones as a claim check on the spool file
 * @param kafka Kafka settings and topic names
 * @param statusGroupId consumer group of the status keeper
 */
public record GatewayConfig(String host, int port, Path spoolDir, List<String> secrets, long maxBodySize, long inlineLimit,
                            KafkaSettings kafka, String statusGroupId) {
    public static final long DEFAULT_MAX_BODY = 512L * 1024 * 1024;
    public static final long DEFAULT_INLINE_LIMIT = 1024L * 1024;

    public GatewayConfig {
        secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }
}
