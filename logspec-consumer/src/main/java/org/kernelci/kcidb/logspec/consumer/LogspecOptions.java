package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.cli.Logging;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.DatabaseOptions;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaOptions;
import org.kernelci.kcidb.service.OpsOptions;
import org.kernelci.kcidb.service.Units;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The logspec consumer's options, shared by the service and the manual {@code analyze --kind --id} mode. */
public final class LogspecOptions {
    @Option(names = "--group-id", defaultValue = "${env:KCIDB_LOGSPEC_GROUP_ID:-" + LogspecConfig.DEFAULT_GROUP_ID + "}",
            description = "Kafka consumer group (env KCIDB_LOGSPEC_GROUP_ID; default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--filter-file", defaultValue = "${env:KCIDB_LOGSPEC_FILTER_FILE}", paramLabel = "FILE",
            description = "Which failures to analyse: origin -> [{type: build|test, include_path: glob or list}], the "
                    + "format of the original logspec_worker.yaml (env KCIDB_LOGSPEC_FILTER_FILE; default: maestro "
                    + "builds and boot* tests, microsoft builds).")
    Path filterFile;

    @Option(names = "--origins", defaultValue = "${env:KCIDB_LOGSPEC_ORIGINS}", split = ",", paramLabel = "ORIGIN",
            description = "Only these origins of the filter (env KCIDB_LOGSPEC_ORIGINS, comma-separated).")
    List<String> origins;

    @Option(names = "--parser-rule", defaultValue = "${env:KCIDB_LOGSPEC_PARSER_RULES}", split = ",",
            paramLabel = "GLOB=PARSER", description = "Parser for tests whose path matches GLOB, tried before the "
            + "defaults boot*=generic_linux_boot, kselftest*=test_kselftest, baseline*=test_baseline "
            + "(env KCIDB_LOGSPEC_PARSER_RULES, comma-separated).")
    List<String> parserRules;

    @Option(names = "--default-test-parser", defaultValue = "${env:KCIDB_LOGSPEC_DEFAULT_TEST_PARSER:-kernel_only}",
            description = "Parser for tests no rule matches (env KCIDB_LOGSPEC_DEFAULT_TEST_PARSER; default: "
                    + "${DEFAULT-VALUE}, kernel errors only).")
    String defaultTestParser;

    @Option(names = "--kcidb-url", defaultValue = "${env:KCIDB_URL:-http://127.0.0.1:8080}",
            description = "The gateway documents are submitted to (env KCIDB_URL; default: ${DEFAULT-VALUE}).")
    String kcidbUrl;

    @Option(names = "--jwt-secret", defaultValue = "${env:JWT_SECRET:-secret}", arity = "0..1",
            description = "The gateway's JWT secret; the service token is derived from it; empty when the gateway does "
                    + "not authenticate (env JWT_SECRET; default: the gateway's own default).")
    String jwtSecret;

    @Option(names = "--dry-run", defaultValue = "${env:KCIDB_DRY_RUN:-0}", arity = "0..1", fallbackValue = "1",
            description = "Print each document instead of submitting it, and record nothing (env KCIDB_DRY_RUN).")
    String dryRun;

    @Option(names = "--cache-dir", defaultValue = "${env:KCIDB_LOGSPEC_CACHE_DIR}",
            description = "Where fetched logs are kept (env KCIDB_LOGSPEC_CACHE_DIR; default: kcidb-logspec-cache in "
                    + "the temporary folder).")
    Path cacheDir;

    @Option(names = "--cache-size", defaultValue = "${env:KCIDB_LOGSPEC_CACHE_SIZE:-2g}",
            description = "Size limit of the log cache, least recently used logs evicted first; 0 disables it "
                    + "(env KCIDB_LOGSPEC_CACHE_SIZE; default: ${DEFAULT-VALUE}).")
    String cacheSize;

    @Option(names = "--max-log-size", defaultValue = "${env:KCIDB_LOGSPEC_MAX_LOG_SIZE:-512m}",
            description = "Larger logs are not fetched (env KCIDB_LOGSPEC_MAX_LOG_SIZE; default: ${DEFAULT-VALUE}).")
    String maxLogSize;

    @Option(names = "--fetch-connect-timeout", defaultValue = "${env:KCIDB_LOGSPEC_CONNECT_TIMEOUT:-10s}",
            description = "Connect timeout when fetching a log (env KCIDB_LOGSPEC_CONNECT_TIMEOUT; default: "
                    + "${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--fetch-read-timeout", defaultValue = "${env:KCIDB_LOGSPEC_READ_TIMEOUT:-60s}",
            description = "Read timeout when fetching a log (env KCIDB_LOGSPEC_READ_TIMEOUT; default: ${DEFAULT-VALUE}).")
    String readTimeout;

    @Option(names = "--fetch-deadline", defaultValue = "${env:KCIDB_LOGSPEC_FETCH_DEADLINE:-10m}",
            description = "The longest one log may take to fetch, attempts included: a server that trickles bytes is "
                    + "cut off then (env KCIDB_LOGSPEC_FETCH_DEADLINE; default: ${DEFAULT-VALUE}).")
    String fetchDeadline;

    @Option(names = "--log-url-allow", defaultValue = "${env:KCIDB_LOG_URL_ALLOW}", split = ",",
            paramLabel = "HOST|CIDR", description = "Non-public hosts and address ranges log URLs may lead to, e.g. "
            + "logs.lab.example.org,10.1.0.0/16 (env KCIDB_LOG_URL_ALLOW, comma-separated; default: none, only public "
            + "addresses are fetched: loopback, link-local, private, carrier-grade NAT and reserved ones are refused).")
    List<String> logUrlAllow;

    @Option(names = "--log-file-root", defaultValue = "${env:KCIDB_LOG_FILE_ROOT}", paramLabel = "DIR",
            description = "The folder file: log URLs may read regular files from (env KCIDB_LOG_FILE_ROOT; default: "
                    + "none, file: URLs are refused).")
    Path logFileRoot;

    @Option(names = "--fetch-attempts", defaultValue = "${env:KCIDB_LOGSPEC_FETCH_ATTEMPTS:-5}",
            description = "Attempts per log on transient errors before it is recorded as unreachable "
                    + "(env KCIDB_LOGSPEC_FETCH_ATTEMPTS; default: ${DEFAULT-VALUE}).")
    int fetchAttempts;

    @Mixin
    DatabaseOptions database;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    OpsOptions ops;

    boolean dryRun() {
        return Logging.truthy(dryRun);
    }

    public LogspecConfig config() {
        PgUri pg = database.uri();
        FailureFilter filter = FailureFilter.configured(filterFile, origins);
        ParserChoice parsers;
        try {
            List<String> rules = new ArrayList<>();
            if (parserRules != null) {
                parserRules.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(rules::add);
            }
            parsers = ParserChoice.of(rules, defaultTestParser);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--parser-rule / --default-test-parser: " + e.getMessage(), e);
        }
        URI url;
        try {
            url = URI.create(kcidbUrl.strip());
            if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--kcidb-url / KCIDB_URL: '" + kcidbUrl + "' " + e.getMessage());
        }
        if (fetchAttempts < 1) {
            throw new ConfigException("--fetch-attempts / KCIDB_LOGSPEC_FETCH_ATTEMPTS must be at least 1");
        }
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "kcidb-logspec-cache");
        Duration deadline = Units.duration(fetchDeadline, "--fetch-deadline / KCIDB_LOGSPEC_FETCH_DEADLINE");
        if (deadline.isZero() || deadline.isNegative()) {
            throw new ConfigException("--fetch-deadline / KCIDB_LOGSPEC_FETCH_DEADLINE must be positive");
        }
        LogFetcher.Settings fetch = new LogFetcher.Settings(
                Units.duration(connectTimeout, "--fetch-connect-timeout / KCIDB_LOGSPEC_CONNECT_TIMEOUT"),
                Units.duration(readTimeout, "--fetch-read-timeout / KCIDB_LOGSPEC_READ_TIMEOUT"), deadline,
                fetchAttempts, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0),
                Units.bytes(maxLogSize, "--max-log-size / KCIDB_LOGSPEC_MAX_LOG_SIZE"), addressPolicy(), fileRoot());
        return new LogspecConfig(pg, database.pool(LogspecService.APPLICATION), database.admin(pg), kafka.settings(),
                groupId,
                filter, parsers, url, jwtSecret == null ? "" : jwtSecret, dryRun(), cache,
                Units.bytes(cacheSize, "--cache-size / KCIDB_LOGSPEC_CACHE_SIZE"), fetch, ops.host(),
                ops.port(LogspecConfig.DEFAULT_HTTP_PORT), Backoff.DEFAULT);
    }

    private AddressPolicy addressPolicy() {
        try {
            return AddressPolicy.allowing(logUrlAllow == null ? List.of() : logUrlAllow);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--log-url-allow / KCIDB_LOG_URL_ALLOW: " + e.getMessage(), e);
        }
    }

    private LogFileRoot fileRoot() {
        if (logFileRoot == null || logFileRoot.toString().isBlank()) {
            return LogFileRoot.none();
        }
        try {
            return LogFileRoot.of(logFileRoot);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("--log-file-root / KCIDB_LOG_FILE_ROOT: " + logFileRoot + " is not a folder (it "
                    + "does not exist)", e);
        } catch (IOException e) {
            throw new ConfigException("--log-file-root / KCIDB_LOG_FILE_ROOT: " + e.getMessage(), e);
        }
    }
}
