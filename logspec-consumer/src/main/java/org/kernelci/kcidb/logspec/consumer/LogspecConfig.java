package org.kernelci.kcidb.logspec.consumer;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.kernelci.kcidb.contracts.filter.FailureFilter;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * Everything the logspec consumer needs, validated at start-up.
 *
 * @param admin      an administrator's connection, used only to create the state schema when the service's role may not
 * @param filter     which failures to analyse
 * @param parsers    which parser reads which log
 * @param kcidbUrl   the gateway
 * @param jwtSecret  the gateway's secret, from which the service token is derived; empty when authentication is off
 * @param dryRun     print documents instead of submitting them, and record nothing
 * @param cacheDir   where fetched logs are kept
 * @param cacheBytes the cache's size limit; 0 disables it
 */
public record LogspecConfig(PgUri pg, PoolSettings pool, Optional<PgUri> admin, KafkaSettings kafka, String groupId,
                            FailureFilter filter, ParserChoice parsers, URI kcidbUrl, String jwtSecret, boolean dryRun,
                            Path cacheDir, long cacheBytes, LogFetcher.Settings fetch, String httpHost, int httpPort,
                            Backoff backoff) {
    public static final String DEFAULT_GROUP_ID = "kcidb-logspec";
    public static final int DEFAULT_HTTP_PORT = 8004;
}
