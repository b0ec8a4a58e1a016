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
 * @param treesFile the trees.yml to normalise tree names with; empty for the shipped default
 * @param storageBaseUrl the log-excerpt store ({@code STORAGE_BASE_URL}); offload is on when it and the token are set
 * @param storageToken the store's bearer token ({@code STORAGE_TOKEN})
 * @param workers threads preparing (validating, upgrading) the submissions of a batch
 * @param batch how many submissions go into one transaction
 * @param loadMethod how rows are written
 */
public record IngestConfig(PgUri pg, PoolSettings pool, KafkaSettings kafka, String groupId, Optional<Path> spoolDir,
                           String httpHost, int httpPort, boolean migrate, Backoff backoff, Optional<Path> treesFile,
                           Optional<String> storageBaseUrl, Optional<String> storageToken, int workers,
                           BatchLimits batch, LoadMethod loadMethod) {
    public static final String DEFAULT_GROUP_ID = "kcidb-ingest";
    public static final int DEFAULT_HTTP_PORT = 8002;
    public static final int DEFAULT_BATCH_SUBMISSIONS = 200;
    public static final long DEFAULT_BATCH_BYTES = 32L << 20;
    public static final long DEFAULT_BATCH_LINGER_MS = 200;

    public IngestConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1: " + workers);
        }
    }

    /** The essentials, everything else at its default (tests, embedded use). */
    public IngestConfig(PgUri pg, PoolSettings pool, KafkaSettings kafka, String groupId, Optional<Path> spoolDir,
                        String httpHost, int httpPort, boolean migrate, Backoff backoff) {
        this(pg, pool, kafka, groupId, spoolDir, httpHost, httpPort, migrate, backoff, Optional.empty(),
                Optional.empty(), Optional.empty(), Runtime.getRuntime().availableProcessors(), BatchLimits.DEFAULT,
                LoadMethod.COPY);
    }
}
