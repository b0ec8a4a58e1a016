package org.kernelci.kcidb.testsupport;

/**
 * A PostgreSQL server on which tests may create databases. Package-private: tests see {@link TestPostgres}.
 */
interface PostgresServer {

    /** A JDBC URL for database {@code database} on this server, carrying any extra parameters the server needs. */
    String jdbcUrl(String database);

    String host();

    int port();

    /** A role that may CREATE DATABASE (and, for db-init tests, CREATE ROLE). */
    String adminUser();

    String adminPassword();

    /** The database to connect to for CREATE/DROP DATABASE. */
    String maintenanceDatabase();

    String description();

    /** Whether {@link #stop()} and {@link #start()} work. */
    boolean restartable();

    /** Stops the server process, keeping its data. */
    void stop();

    /** Starts the server again on the same port and data. */
    void start();

    boolean running();

    /** Stops the server for good and deletes its data. Called once, at JVM exit. */
    void close();
}
