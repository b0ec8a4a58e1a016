/**
 * The KCIDB PostgreSQL database: connection strings ({@link org.kernelci.kcidb.database.PgUri}: kcidb's keyword form
 * parsed here, URIs and JDBC URLs read by the driver), pools and the one test of a fault worth waiting for
 * ({@link org.kernelci.kcidb.database.Databases#isTransient}), the schema as Flyway migrations
 * ({@link org.kernelci.kcidb.database.KcidbSchema}, SQL in {@code db/kcidb/}), the services' own tables in schema
 * {@code kcidb_ng} ({@link org.kernelci.kcidb.database.StateSchema}), and {@code db-init} with the editor and viewer roles
 * ({@link org.kernelci.kcidb.database.DbInit}), a command of this module's own jar
 * ({@link org.kernelci.kcidb.database.DatabaseMain}). Below the service plumbing in the module order: it depends on
 * {@code contracts} only.
 *
 * <pre>{@code
 * PgUri uri = PgUri.parse(System.getenv("PG_URI"));        // InvalidPgUriException: a precise start-up error
 * new DbInit(DbInitSettings.fromEnvironment(System.getenv())).run();   // the db-init command
 * HikariDataSource pool = Databases.pool(uri, PoolSettings.defaults("ingest-consumer").withMaximumPoolSize(8));
 * int applied = StateSchema.migrate(pool, "watcher", Optional.empty());  // db/kcidb_ng/watcher/V*.sql
 * }</pre>
 */
package org.kernelci.kcidb.database;
