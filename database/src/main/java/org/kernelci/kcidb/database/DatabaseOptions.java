package org.kernelci.kcidb.database;

import java.time.Duration;
import java.util.Optional;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import picocli.CommandLine.Option;

/** How a service reaches PostgreSQL, as a picocli mixin: {@code PG_URI} in the kcidb form, and the pool size. */
public final class DatabaseOptions {
    @Option(names = "--pg-uri", defaultValue = "${env:PG_URI}", paramLabel = "URI",
            description = "PostgreSQL connection, kcidb form 'postgresql:dbname=kcidb user=kcidb_editor password=... "
                    + "host=db port=5432', a postgresql:// URI or a jdbc:postgresql:// URL (env PG_URI).")
    String pgUri;

    @Option(names = "--pg-pool-size", defaultValue = "${env:KCIDB_PG_POOL_SIZE:-4}",
            description = "Connections in the pool (env KCIDB_PG_POOL_SIZE; default: ${DEFAULT-VALUE}).")
    int poolSize;

    /** The parsed connection; a missing or malformed value is a start-up configuration error. */
    public PgUri uri() {
        if (pgUri == null || pgUri.isBlank()) {
            throw new ConfigException("no database: set PG_URI or pass --pg-uri, e.g. "
                    + "\"postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432\"");
        }
        try {
            return PgUri.parse(pgUri);
        } catch (InvalidPgUriException e) {
            throw new ConfigException("PG_URI / --pg-uri: " + e.getMessage(), e);
        }
    }

    /**
     * The administrator's connection to the same database, from {@code POSTGRES_PASSWORD} (and {@code POSTGRES_USER},
     * {@code postgres} by default) as db-init reads them; empty when no password is set. Services use it only to create
     * their state schema when their own role may not.
     */
    public Optional<PgUri> admin(PgUri pg) {
        String password = System.getenv("POSTGRES_PASSWORD");
        if (password == null || password.isEmpty()) {
            return Optional.empty();
        }
        String user = Optional.ofNullable(System.getenv("POSTGRES_USER")).filter(u -> !u.isBlank()).orElse("postgres");
        return Optional.of(pg.withCredentials(user.strip(), password));
    }

    public PoolSettings pool(String applicationName) {
        if (poolSize < 1 || poolSize > 200) {
            throw new ConfigException("--pg-pool-size / KCIDB_PG_POOL_SIZE must be between 1 and 200, not " + poolSize);
        }
        return PoolSettings.defaults(applicationName).withMaximumPoolSize(poolSize)
                .withConnectionTimeout(Duration.ofSeconds(10));
    }
}
