package org.kernelci.kcidb.gateway;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernelci.kcidb.service.CommonOptions;
import org.kernelci.kcidb.service.ConfigException;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.ServiceLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar gateway.jar}: the submissions gateway, flag-compatible with kcidb-restd-rs. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = org.kernelci.kcidb.service.Version.class,
        subcommands = TokenCommand.class,
        description = "Receives KCIDB submissions over HTTP, spools them durably and publishes them to Kafka.")
public final class GatewayMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    @Option(names = {"-p", "--port"}, defaultValue = "${env:KCIDB_PORT:-0}",
            description = "Port to listen on; 0 means 80 (443 with TLS); below 1024 without root, 8080 "
                    + "(env KCIDB_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-b", "--host"}, defaultValue = "${env:KCIDB_HOST:-0.0.0.0}",
            description = "Address to listen on (env KCIDB_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-d", "--directory"}, defaultValue = "${env:KCIDB_SPOOL_DIR:-/app/spool}",
            description = "Spool directory, which must exist (env KCIDB_SPOOL_DIR; default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = {"-j", "--jwt-secret"}, defaultValue = "${env:JWT_SECRET:-secret}",
            description = "JWT secret; empty disables authentication (env JWT_SECRET; default: 'secret', with a warning).")
    String jwtSecret;

    @Option(names = "--unified-secret", defaultValue = "${env:UNIFIED_SECRET:-}",
            description = "Second JWT secret, tried when the primary one does not verify (env UNIFIED_SECRET).")
    String unifiedSecret;

    @Option(names = "--max-body-size", defaultValue = "${env:KCIDB_MAX_BODY_SIZE:-536870912}",
            description = "Largest accepted body in bytes (env KCIDB_MAX_BODY_SIZE; default: ${DEFAULT-VALUE}).")
    long maxBodySize;

    @Option(names = "--inline-limit", defaultValue = "${env:KCIDB_INLINE_LIMIT:-1048576}",
            description = "Bodies up to this many bytes travel inside the Kafka event, larger ones as a claim check on "
                    + "the spool file (env KCIDB_INLINE_LIMIT; default: ${DEFAULT-VALUE}).")
    long inlineLimit;

    @Option(names = "--status-group-id", defaultValue = "${env:KCIDB_GATEWAY_GROUP_ID:-kcidb-gateway}",
            description = "Consumer group that applies submission results to the spool (default: ${DEFAULT-VALUE}).")
    String statusGroupId;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    CommonOptions common;

    public static void main(String[] args) {
        ServiceLauncher.launch(new GatewayMain(), args);
    }

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        GatewayConfig config = config();
        if ("secret".equals(jwtSecret)) {
            LOG.warn("JWT secret is the default value 'secret': set JWT_SECRET");
        }
        Gateway gateway = Gateway.start(config, Observability.newRegistry(), Clock.systemUTC());
        gateway.lifecycle().stopOnShutdownSignal();
        gateway.lifecycle().awaitStop();
        return 0;
    }

    GatewayConfig config() {
        if (maxBodySize < 1) {
            throw new ConfigException("--max-body-size must be positive, not " + maxBodySize);
        }
        if (inlineLimit < 0) {
            throw new ConfigException("--inline-limit must not be negative, not " + inlineLimit);
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("-p/--port must be between 0 and 65535, not " + port);
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(jwtSecret);
        secrets.add(unifiedSecret);
        return new GatewayConfig(host, effectivePort(port), directory, secrets, maxBodySize, inlineLimit, kafka.settings(),
                statusGroupId);
    }

    /** The Rust gateway's port rule: 0 means 80, and a privileged port without root falls back to 8080. */
    static int effectivePort(int requested) {
        int port = requested == 0 ? 80 : requested;
        if (port < 1024 && !isRoot()) {
            LoggerFactory.getLogger(GatewayMain.class)
                    .warn("Port {} is less than 1024 and we are not root: using 8080 instead", port);
            return 8080;
        }
        return port;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
