package org.kernelci.kcidb.database;

import java.time.Duration;
import java.util.Objects;

/**
 * How a service's connection pool behaves.
 *
 * @param applicationName   shown in {@code pg_stat_activity.application_name} (unless PG_URI sets one)
 * @param maximumPoolSize   connections at most; size it to the service's worker threads
 * @param connectionTimeout how long a caller waits for a connection before failing
 * @param failFast          whether creating the pool fails when the database cannot be reached; false lets a
 *                          service start while PostgreSQL is down and treat that as the transient fault it is
 */
public record PoolSettings(String applicationName, int maximumPoolSize, Duration connectionTimeout,
        boolean failFast) {

    /** Default maximum pool size. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

    /** Default wait for a connection: long enough for a failover, short enough to surface an outage. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    public PoolSettings {
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be at least 1, got " + maximumPoolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, got " + connectionTimeout);
        }
    }

    /** Defaults for a service: 10 connections, 10 s connection timeout, starts even if the database is down. */
    public static PoolSettings defaults(String applicationName) {
        return new PoolSettings(applicationName, DEFAULT_MAXIMUM_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, false);
    }

    public PoolSettings withMaximumPoolSize(int size) {
        return new PoolSettings(applicationName, size, connectionTimeout, failFast);
    }

    public PoolSettings withConnectionTimeout(Duration timeout) {
        return new PoolSettings(applicationName, maximumPoolSize, timeout, failFast);
    }

    public PoolSettings withFailFast(boolean fail) {
        return new PoolSettings(applicationName, maximumPoolSize, connectionTimeout, fail);
    }
}
