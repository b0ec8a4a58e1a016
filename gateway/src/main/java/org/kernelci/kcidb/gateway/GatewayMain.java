package org.kernelci.kcidb.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.cli.ServiceLauncher;
import org.kernelci.kcidb.contracts.cli.Version;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.Lifecycle;
import org.kernelci.kcidb.service.Observability;
import org.kernelci.kcidb.service.ServiceCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar gateway.jar}: the submissions gateway, flag-compatible with kcidb-restd-rs. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = TokenCommand.class, sortOptions = false,
        description = {"Receives KCIDB submissions over HTTP(S), spools them durably and publishes them to Kafka; "
                + "answers their status from the spool.",
            "HTTPS: with CERTBOT_DOMAIN set, serves TLS from <certificates dir>/$CERTBOT_DOMAIN/{fullchain,privkey}.pem "
                + "(waiting for the key to appear), on port 443 when -p is 0.",
            "Every option falls back to the environment variable it names; a flag given wins over the variable."})
public final class GatewayMain extends ServiceCommand {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    @Option(names = {"-p", "--port"}, defaultValue = "${env:KCIDB_PORT:-0}",
            description = "Port to listen on; 0 means 80 (443 with TLS); without root, a port below 1024 becomes 8080 "
                    + "(env KCIDB_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-b", "--host"}, defaultValue = "${env:KCIDB_HOST:-0.0.0.0}",
            description = "Address to listen on (env KCIDB_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-d", "--directory"}, defaultValue = "${env:KCIDB_SPOOL_DIR:-/app/spool}",
            description = "Spool directory, which must exist (env KCIDB_SPOOL_DIR; default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = {"-j", "--jwt-secret"}, defaultValue = "${env:JWT_SECRET:-secret}",
            description = "JWT (HS256) secret; empty disables authentication and origin enforcement (env JWT_SECRET; "
                    + "default: 'secret', with a warning).")
    String jwtSecret;

    @Option(names = "--unified-secret", defaultValue = "${env:UNIFIED_SECRET:-}",
            description = "Second JWT secret, tried when the primary one does not verify (env UNIFIED_SECRET).")
    String unifiedSecret;

    @Option(names = "--max-body-size", defaultValue = "${env:KCIDB_MAX_BODY_SIZE:-536870912}",
            description = "Largest accepted body in bytes, after decompression (env KCIDB_MAX_BODY_SIZE; default: "
                    + "${DEFAULT-VALUE}).")
    long maxBodySize;

    @Option(names = "--inline-limit", defaultValue = "${env:KCIDB_INLINE_LIMIT:-1048576}",
            description = "Bodies up to this many bytes travel inside the Kafka event, larger ones as a claim check on "
                    + "the spool file (env KCIDB_INLINE_LIMIT; default: ${DEFAULT-VALUE}).")
    long inlineLimit;

    @Option(names = "--validate-on-submit", defaultValue = "${env:KCIDB_VALIDATE_ON_SUBMIT:-false}", arity = "0..1",
            fallbackValue = "true",
            description = "Validate each submission against its KCIDB schema before answering; invalid ones get 400 "
                    + "with the list of errors (env KCIDB_VALIDATE_ON_SUBMIT; default: ${DEFAULT-VALUE}).")
    boolean validateOnSubmit;

    @Option(names = "--validate-max-size", defaultValue = "${env:KCIDB_VALIDATE_MAX_SIZE:-16777216}",
            description = "With --validate-on-submit, larger bodies are left to the ingest consumer's validation "
                    + "(env KCIDB_VALIDATE_MAX_SIZE; default: ${DEFAULT-VALUE}).")
    long validateMaxSize;

    @Option(names = "--status-group-id", defaultValue = "${env:KCIDB_GATEWAY_GROUP_ID:-}",
            description = "Consumer group that applies submission results to the spool; by default one per spool "
                    + "(kcidb-gateway-<id in <spool>/.spool-id>), so gateways with separate spools each see every "
                    + "result and gateways sharing a spool share the work (env KCIDB_GATEWAY_GROUP_ID).")
    String statusGroupId;

    @Option(names = "--relay-interval", defaultValue = "${env:KCIDB_RELAY_INTERVAL:-30}",
            description = "Seconds between two looks at the outbox for submissions not yet acknowledged by Kafka "
                    + "(env KCIDB_RELAY_INTERVAL; default: ${DEFAULT-VALUE}).")
    int relayIntervalSeconds;

    @Option(names = "--certbot-domain", defaultValue = "${env:CERTBOT_DOMAIN:-}",
            description = "Serve HTTPS with certbot's certificate for this domain (env CERTBOT_DOMAIN).")
    String certbotDomain;

    @Option(names = "--certificates-dir", defaultValue = "${env:KCIDB_CERTIFICATES_DIR:-/etc/letsencrypt/live}",
            description = "Where certbot keeps <domain>/fullchain.pem and privkey.pem (env KCIDB_CERTIFICATES_DIR; "
                    + "default: ${DEFAULT-VALUE}).")
    Path certificatesDir;

    @Option(names = "--certificate-wait", defaultValue = "${env:KCIDB_CERTIFICATE_WAIT:-300}",
            description = "Seconds to wait for the TLS key to appear before giving up (env KCIDB_CERTIFICATE_WAIT; "
                    + "default: ${DEFAULT-VALUE}).")
    int certificateWaitSeconds;

    @Option(names = "--acme-webroot", defaultValue = "${env:ACME_WEBROOT:-}",
            description = "Directory of HTTP-01 challenges written by certbot in webroot mode, served at "
                    + "/.well-known/acme-challenge/<token> (env ACME_WEBROOT).")
    String acmeWebroot;

    @Mixin
    KafkaOptions kafka;

    public GatewayMain() {
        super(Gateway.NAME);
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new GatewayMain(), args);
    }

    @Override
    protected int start(Lifecycle lifecycle) throws Exception {
        GatewayConfig config = config();
        if ("secret".equals(jwtSecret)) {
            LOG.warn("JWT secret is the default value 'secret': set JWT_SECRET");
        }
        return Gateway.start(lifecycle, config, Observability.newRegistry(), Clock.systemUTC()).port();
    }

    GatewayConfig config() throws InterruptedException {
        if (maxBodySize < 1) {
            throw new ConfigException("--max-body-size must be positive, not " + maxBodySize);
        }
        if (inlineLimit < 0) {
            throw new ConfigException("--inline-limit must not be negative, not " + inlineLimit);
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("-p/--port must be between 0 and 65535, not " + port);
        }
        if (relayIntervalSeconds < 1) {
            throw new ConfigException("--relay-interval must be at least 1 second, not " + relayIntervalSeconds);
        }
        if (validateMaxSize < 0) {
            throw new ConfigException("--validate-max-size must not be negative, not " + validateMaxSize);
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(jwtSecret);
        secrets.add(unifiedSecret);
        Optional<GatewayConfig.TlsFiles> tls = tlsFiles();
        SubmitValidation validation = validateOnSubmit
                ? new SubmitValidation(KcidbSubmissions.create(), validateMaxSize) : SubmitValidation.OFF;
        return new GatewayConfig(host, effectivePort(port, tls.isPresent()), directory, secrets, maxBodySize, inlineLimit,
                kafka.settings(), blankToEmpty(statusGroupId), validation, Duration.ofSeconds(relayIntervalSeconds), tls,
                blankToEmpty(acmeWebroot).map(Path::of), GatewayConfig.DEFAULT_BACKOFF);
    }

    /** As the Rust service: with CERTBOT_DOMAIN, wait (up to the limit) for the key, then serve TLS. */
    private Optional<GatewayConfig.TlsFiles> tlsFiles() throws InterruptedException {
        if (certbotDomain == null || certbotDomain.isBlank()) {
            return Optional.empty();
        }
        Path live = certificatesDir.resolve(certbotDomain.trim());
        GatewayConfig.TlsFiles files = new GatewayConfig.TlsFiles(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
        long deadline = System.nanoTime() + Duration.ofSeconds(certificateWaitSeconds).toNanos();
        while (!Files.exists(files.privkey())) {
            if (System.nanoTime() >= deadline) {
                throw new ConfigException("TLS key file " + files.privkey() + " does not exist (CERTBOT_DOMAIN="
                        + certbotDomain + ")");
            }
            LOG.info("Waiting for file {} to be created", files.privkey());
            Thread.sleep(1000);
        }
        LOG.info("Using TLS key from {}", files.privkey());
        return Optional.of(files);
    }

    /**
     * The Rust gateway's port rule: without root, a port below 1024 (0 included) becomes 8080; otherwise 0 means 80,
     * or 443 with TLS.
     */
    static int effectivePort(int requested, boolean tls) {
        if (requested < 1024 && !isRoot()) {
            LoggerFactory.getLogger(GatewayMain.class)
                    .warn("Port {} is less than 1024 and we are not root: using 8080 instead", requested);
            return 8080;
        }
        if (requested == 0) {
            return tls ? 443 : 80;
        }
        return requested;
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
