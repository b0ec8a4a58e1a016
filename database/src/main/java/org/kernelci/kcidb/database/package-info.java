/**
 * The KCIDB PostgreSQL database: connection strings ({@link org.kernelci.kcidb.database.PgUri}), pools
 * ({@link org.kernelci.kcidb.database.Databases}), the schema as Flyway migrations
 * ({@link org.kernelci.kcidb.database.KcidbSchema}, SQL in {@code db/kcidb/}), and the {@code db-init} logic with
 * the editor and viewer roles ({@link org.kernelci.kcidb.database.DbInit}).
 *
 * <pre>{@code
 * PgUri uri = PgUri.parse(System.getenv("PG_URI"));        // InvalidPgUriException: a precise start-up error
 * new DbInit(DbInitSettings.fromEnvironment(System.getenv())).run();   // the db-init command
 * HikariDataSource pool = Databases.pool(uri, PoolSettings.defaults("ingest-consumer").withMaximumPoolSize(8));
 * }</pre>
 */
package org.kernelci.kcidb.database;
