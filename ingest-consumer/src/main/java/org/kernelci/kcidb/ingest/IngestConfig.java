package org.kernelci.kcidb.ingest;

import java.nio.file.Path;
import java.util.Optional;
import org.kernelci.kcidb.database.PgUri;
import org.kernelci.kcidb.database.PoolSettings;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * Everything the ingest consumer needs, validated at start-up.
 *
 * @param spoolDir where claim-checked bodies are read from (the gateway's spool, shared), if any
 * @param migrate whether to create or upgrade the KCIDB schema at start-up
 * @param backoff retry delays for transient faults
 */
public record IngestConfig(PgUri pg, PoolSettings pool, KafkaSettings kafka, String groupId, Optional<Path> spoolDir,
                           String httpHost, int httpPort, boolean migrate, Backoff backoff) {
    public static final String DEFAULT_GROUP_ID = "kcidb-ingest";
    public static final int DEFAULT_HTTP_PORT = 8002;
}
